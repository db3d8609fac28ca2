"""Parse: raw RFC 822 bytes become a ParsedMessage (headers, readable text, quoted history and signature split off,
never-reply kinds).
"""
