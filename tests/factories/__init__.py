"""Factories for test data, one module per model family (factory_boy)."""
