"""Services: cached store access and the data shaping pages need (no Streamlit widgets here)."""
