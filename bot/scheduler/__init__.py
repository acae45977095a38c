"""The scheduler is a heartbeat; the deliveries table is its truth."""
