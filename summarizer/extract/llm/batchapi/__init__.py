"""The providers' Batch API for the openai backend (`--batch-api`, `summarizer batch-api`).

Each call the live path would send becomes one JSONL line (same body, `custom_id` the call's
cache key); batches answer them within a day at about half price; every answer is validated
as a live reply and stored in the LLM cache; the normal pipeline then assembles the reports
from the cache. Modules: lines (the JSONL formats), state (what was sent, kept beside the
cache), jobs (the Files and Batches endpoints), collect (answers into the cache, failures to
retry), run (the whole round trip), display (the progress shown while polling).
"""
