"""Where schemas and cases come from: OpenAPI and SDK docs loaders, case files, generated payloads,
model-name pairing.
"""
