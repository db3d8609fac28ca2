"""Understand: what the customer asks (intents with evidence) and the safe details they gave (order numbers,
e-mails, name, country, address).
"""
