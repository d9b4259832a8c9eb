"""The LLM extractor: any OpenAI-compatible endpoint through openai + instructor, with packing, prompts and a per-chunk cache."""
