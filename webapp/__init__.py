"""The Streamlit page's building blocks (imported by ``app.py``; ``bsa`` never imports this)."""
