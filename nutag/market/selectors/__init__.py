"""Reads of the shop: ``shop`` (products, a unit's shop, the banner's market, one product,
one order, my orders, a seller's record) and ``figures`` (the roll-up of a subtree)."""
