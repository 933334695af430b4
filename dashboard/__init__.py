"""Streamlit dashboard over the sovmap engine."""
