"""Domain types shared by the API, the services and the database layer."""
