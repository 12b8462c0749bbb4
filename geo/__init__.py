"""Contested Lines library: claims, reference lines, boundaries and contested areas.

Never imports streamlit, so it can be used from notebooks, scripts and the
command line (``python -m geo``).
"""

__version__ = "0.1.0"
