"""The data the book computes on: real photographs and handwritten digits that ship
with installed packages, so nothing is downloaded."""
