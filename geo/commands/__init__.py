"""The command line: one module per ``python -m geo`` sub-command (``add_arguments`` and ``run``)."""
