"""Model: building and measuring the intent model (training, evaluation, the keyword baseline)."""
