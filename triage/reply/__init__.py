"""Reply: the draft that asks only for what is missing, and keeping it in step with the mailbox's Drafts folder."""
