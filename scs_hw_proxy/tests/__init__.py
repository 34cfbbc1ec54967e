from . import test_routes
