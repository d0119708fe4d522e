"""Public and author-facing views for ideas, one module per part of the page flow.

Views validate input with a form and call a service; every action is a plain form POST
that redirects, and htmx requests get a fragment to swap in place instead.
"""
