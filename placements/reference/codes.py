"""SSDA903 reference codes, as published in the DfE guidance for the children looked after return.

Years are collection years (the year ending 31 March). None means "no limit known". For every
collection year that DfE's validation rules (the `csc-validator-be-903` package) know, the codes
valid here are the codes those rules accept (placements/tests/test_reference_codes.py compares
them); earlier years follow the DfE guidance of the time. The Administrator can correct or extend
these in the admin when DfE issues a new code set; the data migrations load them only where the
code is not already present.
"""

# (code, description, category, valid_from_year, valid_to_year)
PLACEMENT_TYPES = [
    ("A3", "Placed for adoption with parental/guardian consent with current foster carer(s)", "adoption", 2014, None),
    ("A4", "Placed for adoption with parental/guardian consent not with current foster carer(s)", "adoption", 2014,
     None),
    ("A5", "Placed for adoption with placement order with current foster carer(s)", "adoption", 2014, None),
    ("A6", "Placed for adoption with placement order not with current foster carer(s)", "adoption", 2014, None),
    ("H5", "Semi-independent living accommodation not subject to Children's Homes Regulations", "independent",
     None, 2025),
    ("K1", "Secure children's homes", "secure", None, None),
    ("K2", "Children's homes subject to Children's Homes Regulations", "childrens_home", None, None),
    ("K3", "Supported accommodation registered with Ofsted", "independent", 2025, None),
    ("P1", "Placed with own parent(s) or other person(s) with parental responsibility", "parents", None, None),
    ("P2", "Independent living, for example in a flat, lodgings, bedsit or with friends", "independent", None,
     2025),
    ("P3", "Residential employment", "other", None, None),
    ("R1", "Residential care home", "childrens_home", None, None),
    ("R2", "NHS/health trust or other establishment providing medical or nursing care", "other", None, None),
    ("R3", "Family centre or mother and baby unit", "other", None, None),
    ("R5", "Young offender institution or prison", "secure", None, None),
    ("S1", "All residential schools, except where dual-registered as a school and children's home",
     "residential_school",
     None, None),
    ("T0", "All types of temporary move", "temporary", 2016, None),
    ("T1", "Temporary periods in hospital", "temporary", None, None),
    ("T2", "Temporary absences of the child on holiday", "temporary", None, None),
    ("T3", "Temporary accommodation whilst normal foster carer is unavailable", "temporary", None, None),
    ("T4", "Temporary accommodation of seven days or less, for any other reason", "temporary", None, None),
    ("U1", "Foster placement with relative or friend: long-term fostering", "foster_relative", 2014, None),
    ("U2", "Foster placement with relative or friend who is also an approved adopter: fostering for adoption or "
     "concurrent planning", "foster_relative", 2014, None),
    ("U3", "Foster placement with relative or friend: not long-term or fostering for adoption", "foster_relative",
     2014, None),
    ("U4", "Foster placement with other foster carer: long-term fostering", "foster_other", 2014, None),
    ("U5", "Foster placement with other foster carer who is also an approved adopter: fostering for adoption or "
     "concurrent planning", "foster_other", 2014, None),
    ("U6", "Foster placement with other foster carer: not long-term or fostering for adoption", "foster_other", 2014,
     None),
    ("Z1", "Other placements (listed on the schedule sent to DfE)", "other", None, 2025),
    # Newer "other placement" codes: descriptions to be checked against the year's DfE guidance.
    ("Z11", "Other placement: unregistered children's home", "other", 2026, None),
    ("Z12", "Other placement: unregistered supported accommodation", "other", 2026, None),
    ("Z13", "Other placement: setting under a deprivation of liberty order", "other", 2026, None),
    ("Z14", "Other placement: any other setting", "other", 2026, None),
]

# (code, description, kind)
PLACEMENT_PROVIDERS = [
    ("PR0", "Parent(s) or other person(s) with parental responsibility", "parents"),
    ("PR1", "Own provision (by the local authority)", "own_council"),
    ("PR2", "Other local authority provision", "other_council"),
    ("PR3", "Other public provision (for example by a health trust or school)", "other_public"),
    ("PR4", "Private provision", "private"),
    ("PR5", "Voluntary/third sector provision", "voluntary"),
]

# (code, description, is_short_break)
LEGAL_STATUSES = [
    ("C1", "Interim care order", False),
    ("C2", "Full care order", False),
    ("D1", "Freeing order granted", False),
    ("E1", "Placement order granted", False),
    ("J1", "Remanded to local authority accommodation or to youth detention accommodation", False),
    ("J2", "Placed in local authority accommodation under the Police and Criminal Evidence Act 1984", False),
    ("J3", "Sentenced to youth rehabilitation order (residence or intensive fostering requirement)", False),
    ("L1", "Under police protection and in local authority accommodation", False),
    ("L2", "Emergency protection order", False),
    ("L3", "Under child assessment order and in local authority accommodation", False),
    ("V2", "Single period of accommodation under section 20 (Children Act 1989)", False),
    ("V3", "Accommodated under an agreed series of short-term breaks, when individual episodes are recorded", True),
    ("V4", "Accommodated under an agreed series of short-term breaks, when agreements are recorded", True),
]

# (code, description, starts_placement)
REASONS_NEW_EPISODE = [
    ("S", "Started to be looked after", True),
    ("L", "Change of legal status only", False),
    ("P", "Change of placement only", True),
    ("B", "Change of legal status and placement at the same time", True),
    ("T", "Change of placement type only, carers stayed the same", True),
    ("U", "Change of legal status and placement type only, carers stayed the same", True),
]

# (code, description)
REASONS_EPISODE_CEASED = [
    ("E11", "Adopted: application for an adoption order unopposed"),
    ("E12", "Adopted: consent dispensed with by the court"),
    ("E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment determined child is aged 18 or over"),
    ("E16", "Child moved abroad"),
    ("E17", "Aged 18 (or over) and remained with current carers (staying put)"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    ("E41", "Residence order or child arrangements order granted"),
    ("E45", "Special guardianship order made to former foster carer(s) who were relatives or friends"),
    ("E46", "Special guardianship order made to former foster carer(s) other than relatives or friends"),
    ("E47", "Special guardianship order made to carer(s) other than former foster carers, relatives or friends"),
    ("E48", "Special guardianship order made to carer(s) other than former foster carers, other than relatives "
     "or friends"),
    ("E4A", "Returned home to live with parent(s) as part of the care planning process"),
    ("E4B", "Returned home to live with parent(s) not as part of the care planning process"),
    ("E5", "Moved into independent living arrangement and no longer looked after: supportive accommodation"),
    ("E6", "Moved into independent living arrangement and no longer looked after: no formalised support"),
    ("E7", "Transferred to residential care funded by adult social care"),
    ("E8", "Period of being looked after ceased for any other reason"),
    ("E9", "Sentenced to custody"),
    ("X1", "Episode ceases, and a new episode begins on the same day, for any reason"),
]

REASONS_PLACE_CHANGE = [
    ("ALLEG", "Allegation (section 47)"),
    ("APPRR", "Approval removed"),
    ("CARPL", "Change to or implementation of the care plan"),
    ("CHILD", "Child requests placement end"),
    ("CLOSE", "Resignation or closure of provision"),
    ("CREQB", "Carer(s) request placement end due to child's behaviour"),
    ("CREQO", "Carer(s) request placement end other than due to child's behaviour"),
    ("CUSTOD", "Child admitted to custody"),
    ("LAREQ", "Responsible or area authority requests placement end"),
    ("OTHER", "Other"),
    ("PLACE", "Change in the status of the placement only"),
    ("STAND", "Standards of care concern"),
]
