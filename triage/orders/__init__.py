"""Orders: the shop's orders read from CSV exports, matched to a message, and the urgency that follows from the
fulfillment stage.
"""
