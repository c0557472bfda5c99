"""What the sufficiency app adds to the shared pages and stores (see core/registry.py)."""
