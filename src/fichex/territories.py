"""The territory codes with a rule of their own, defined once: the overseas départements (DROM), Monaco,
Corse as customs reports it, Paris.

A leaf importing nothing of fichex: data/ (the reference tables), aggregation/ and wording/ all read these
codes, and wording/ is read by render/, which may not import fichex.data; so they live here rather than in
data/reference.py.
"""

DROM_CODES = ("971", "972", "973", "974", "976")  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
MONACO_CODE = "99"  # in customs union with France, counted as a territory of the DGDDI files
CORSICA_CODE = "20"  # the DGDDI files' one code for Corse-du-Sud (2A) and Haute-Corse (2B)
PARIS_CODE = "75"  # where pipeline gas and electricity imports are counted, by DGDDI convention
