from portal.slugs import norwegian_slugify


def test_norwegian_letters_stay_readable_in_addresses():
    assert norwegian_slugify("Digital nøkkel til kommunale lokaler") == (
        "digital-nokkel-til-kommunale-lokaler"
    )
    assert norwegian_slugify("Sensorstyrt tømming av søppeldunker") == (
        "sensorstyrt-tomming-av-soppeldunker"
    )
    assert norwegian_slugify("Ærlig talt: Åpen dør på Øya") == "aerlig-talt-apen-dor-pa-oya"
