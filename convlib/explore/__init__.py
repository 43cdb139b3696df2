"""Explorers for the live notebook: ipywidgets controls that recompute and redraw, and
the note that stands in for them when nobody is there to move a slider."""
