"""The pages of the site around the graph, and the data they show."""
