"""Export datasets: each app registers what auditors may browse and take away (see registry)."""
