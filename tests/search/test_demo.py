from search import demo
from search.backends import get_database_backend
from tests.factories import IdeaFactory, create_challenge


def test_demo_seed_builds_the_index(db):
    IdeaFactory(title="Benker i parken")
    create_challenge(title="Ensomhet blant eldre")
    assert demo.seed() == 2
    assert get_database_backend().search("benker").total == 1
