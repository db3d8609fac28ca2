"""Conversations: which thread a message belongs to (threading) and what the thread asks for now (state)."""
