"""The local products shop (特产 / 电商): herders' products and buyers' order requests."""
