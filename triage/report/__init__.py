"""Report: what people read: the terminal queue and the managers' daily summary (figures, rendering, delivery)."""
