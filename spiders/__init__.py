"""One module per publishing site; each spider is a short subclass of its platform's base (crawler/platforms)."""
