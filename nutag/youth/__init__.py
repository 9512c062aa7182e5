"""Youth care (关心下一代): young people's protected records, elder–youth pairing, visits, needs."""
