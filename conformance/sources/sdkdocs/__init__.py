"""SDK docs trees (Markdown model pages) read into the neutral schema, and their Example Usage
blocks read into cases.
"""
