# ruff: noqa: E501 - one outcome per line reads best
"""Demo outcomes framework: three service-area themes, six age bands and about sixty outcomes.

Shaped on a unitary council's children's services outcomes framework (themes by service area,
outcomes by age band, each with a responsible head of service), written in our own words.
Idempotent: does nothing if the framework is already there.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import COMMISSIONER

from .models import AgeBand, Outcome, Theme

PRIORITY_2 = "Corporate Plan priority 2: the best start in life through education, early help and healthy living"
PRIORITY_1 = "Corporate Plan priority 1: safeguarding and protecting those who are most vulnerable"

AGE_BANDS = [
    ("All children", None, None), ("Pre-birth to 4", 0, 4), ("5 to 11", 5, 11), ("11 to 16", 11, 16),
    ("16 to 18", 16, 18), ("19 to 25", 19, 25),
]

# username, first name, last name, post
HEADS = {
    "education": ("hos.education", "Helen", "Okafor", "Head of Service for Education"),
    "early_help": ("hos.earlyhelp", "Ravi", "Mistry", "Head of Service for Early Help and Family Intervention"),
    "safeguarding": ("hos.safeguarding", "Joanne", "Price",
                     "Head of Service for Safeguarding and Children's Social Care"),
}

THEMES = [
    ("education", "Education", PRIORITY_2),
    ("early_help", "Early Help, Early Intervention and Health", PRIORITY_2),
    ("safeguarding", "Safeguarding and Looked After Children", PRIORITY_1),
]

# (key, theme, age band, level of need, statement)
OUTCOMES = [
    # Education
    ("ed_good_schools", "education", "All children", "prevent", "Every child goes to a school or setting judged good or outstanding"),
    ("ed_full_time", "education", "All children", "reduce", "Every child is in suitable full-time education, at school, at home or in alternative provision"),
    ("ed_pep", "education", "All children", "meet", "Every child in care has a strong Personal Education Plan that helps them reach their potential"),
    ("ed_send_local", "education", "All children", "meet", "Children with special educational needs have them met, in mainstream settings where possible and close to home"),
    ("ed_progress", "education", "All children", "prevent", "Children and young people make the best progress they can from their starting points"),
    ("ed_attendance", "education", "All children", "prevent", "Children attend school regularly at every stage"),
    ("ed_employable", "education", "All children", "prevent", "Young people build the social and life skills that employers look for"),
    ("ed_vocational", "education", "All children", "meet", "Young people with SEND have a vocational profile that plans their route to work"),
    ("ed_ready_school", "education", "Pre-birth to 4", "prevent", "Children reach the early development milestones that make them ready for school"),
    ("ed_ey_settings", "education", "Pre-birth to 4", "prevent", "Every early years setting is judged good or outstanding"),
    ("ed_early_language", "education", "Pre-birth to 4", "prevent", "Children develop language, early literacy and number skills suited to their age"),
    ("ed_ks2", "education", "5 to 11", "prevent", "Children make expected progress and reach their potential at Key Stages 1 and 2"),
    ("ed_transition_primary", "education", "5 to 11", "prevent", "Children move well between phases of education"),
    ("ed_ks4", "education", "11 to 16", "prevent", "Young people make expected progress and reach their potential at Key Stage 4"),
    ("ed_informed_choices", "education", "11 to 16", "prevent", "Young people make well-informed choices about their learning and future plans"),
    ("ed_gaps", "education", "11 to 16", "reduce", "The attainment gap for disadvantaged pupils and pupils with SEN narrows"),
    ("ed_post16", "education", "16 to 18", "prevent", "Young people move on successfully into further education, training or sustained work"),
    ("ed_eet_16_18", "education", "16 to 18", "reduce", "Every 16 and 17 year old is in education, employment or training"),
    ("ed_qualifications", "education", "16 to 18", "prevent", "Young people gain qualifications at levels 1 to 3 that let them progress"),
    ("ed_work_19_25", "education", "19 to 25", "meet", "Young adults with SEND can find sustainable work"),
    ("ed_independence", "education", "19 to 25", "meet", "Young adults have the skills to live independent lives"),
    # Early Help
    ("eh_attachment", "early_help", "All children", "prevent", "Young children form a secure attachment to at least one adult who keeps them safe"),
    ("eh_no_abuse", "early_help", "All children", "prevent", "Children grow up free from violence, abuse and neglect"),
    ("eh_healthy_weight", "early_help", "All children", "prevent", "Children and young people keep a healthy weight and are physically active"),
    ("eh_health_checks", "early_help", "All children", "meet", "Every child in care has an annual health assessment and dental check"),
    ("eh_early_needs", "early_help", "All children", "reduce", "Children's health needs are found early and acted on"),
    ("eh_mental_health", "early_help", "All children", "reduce", "Children and young people who need mental health support get it in time to stop problems growing"),
    ("eh_cse_missing", "early_help", "All children", "reduce", "Children and young people are kept safe from exploitation and from going missing"),
    ("eh_parents_work", "early_help", "All children", "prevent", "Parents are helped back into work"),
    ("eh_step_down", "early_help", "All children", "reduce", "Families get the right help at the right level, stepping down from social care when it is safe"),
    ("eh_breastfeeding", "early_help", "Pre-birth to 4", "prevent", "More babies are breastfed, in line with national rates"),
    ("eh_ready_school", "early_help", "Pre-birth to 4", "prevent", "Families are supported so children are ready for school"),
    ("eh_ncmp", "early_help", "5 to 11", "prevent", "Every child is weighed and measured through the national child measurement programme"),
    ("eh_edge_of_care", "early_help", "11 to 16", "reduce", "Families can use edge-of-care support so children stay at home where it is safe"),
    ("eh_offending", "early_help", "11 to 16", "reduce", "Young people at risk of offending do not enter the youth justice system"),
    ("eh_teen_pregnancy", "early_help", "16 to 18", "prevent", "Fewer young women become pregnant before 18"),
    ("eh_voice", "early_help", "16 to 18", "prevent", "Young people take part in democratic processes and use their vote"),
    ("eh_disabled_transition", "early_help", "19 to 25", "meet", "Young people with disabilities move smoothly into adult life and services"),
    # Safeguarding and looked after children
    ("sc_voice", "safeguarding", "All children", "meet", "Children feel listened to and have a say in every part of their care"),
    ("sc_protected", "safeguarding", "All children", "reduce", "Children are protected from harm at home, at school and in the community"),
    ("sc_right_help", "safeguarding", "All children", "reduce", "Contacts and referrals get the right response first time, so fewer come back"),
    ("sc_assessment", "safeguarding", "All children", "reduce", "Children's needs are assessed quickly and well"),
    ("sc_care_options", "safeguarding", "All children", "meet", "Children coming into care have a range of care and permanence options that keep them safe and well"),
    ("sc_stability", "safeguarding", "All children", "meet", "Children in care live in stable homes and do not move placement often"),
    ("sc_domestic_abuse", "safeguarding", "All children", "reduce", "Fewer children live with domestic abuse and conflict at home"),
    ("sc_offending_siblings", "safeguarding", "All children", "prevent", "Children whose older siblings offend do not go on to offend themselves"),
    ("sc_culture", "safeguarding", "All children", "prevent", "Every child in care can take part in cultural and leisure activities"),
    ("sc_early_years", "safeguarding", "Pre-birth to 4", "reduce", "Babies and young children on a protection plan reach their developmental milestones"),
    ("sc_adoption", "safeguarding", "Pre-birth to 4", "meet", "Children who cannot return home are adopted without delay"),
    ("sc_recognise_risk", "safeguarding", "5 to 11", "prevent", "Children can recognise risk and know a trusted adult to talk to"),
    ("sc_recruitment", "safeguarding", "5 to 11", "meet", "Children help recruit the staff who work with them"),
    ("sc_cse_teens", "safeguarding", "11 to 16", "reduce", "Young people are safe from exploitation and from going missing"),
    ("sc_peers", "safeguarding", "11 to 16", "prevent", "Young people have a safe network of friends and positive peers"),
    ("sc_homelessness", "safeguarding", "16 to 18", "reduce", "Young people at risk of homelessness get the right support"),
    ("sc_adulthood", "safeguarding", "16 to 18", "meet", "Young people leaving care have a smooth move to adulthood"),
    ("sc_leaving_eet", "safeguarding", "16 to 18", "meet", "Care leavers are supported into education, employment or training"),
    ("sc_life_skills", "safeguarding", "16 to 18", "meet", "Young people in care learn the life skills they need to live independently"),
    ("sc_staying_put", "safeguarding", "19 to 25", "meet", "Care leavers in further education can stay put or have suitable housing"),
    ("sc_accommodation", "safeguarding", "19 to 25", "meet", "Care leavers live in suitable accommodation"),
]


def heads_of_service_create() -> dict:
    """Three heads of service who own outcomes and KPIs (Commissioner role; no password to sign in)."""
    User = get_user_model()
    group = Group.objects.get(name=COMMISSIONER)
    heads = {}
    for key, (username, first, last, _post) in HEADS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.gov.uk"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
        heads[key] = user
    return heads


def load(*, users):
    if Outcome.objects.exists():
        return
    heads = heads_of_service_create()
    themes = {}
    for order, (key, name, priority) in enumerate(THEMES, start=1):
        themes[key], _ = Theme.objects.get_or_create(name=name, defaults={
            "kind": Theme.Kind.SERVICE_AREA, "head_of_service": HEADS[key][3], "lead": heads[key],
            "corporate_priority": priority, "order": order,
        })
    bands = {}
    for order, (name, low, high) in enumerate(AGE_BANDS):
        bands[name], _ = AgeBand.objects.get_or_create(name=name, defaults={"order": order, "min_age": low,
                                                                             "max_age": high})
    commissioner = users.get(COMMISSIONER)
    outcomes = []
    for order, (key, theme, band, level, statement) in enumerate(OUTCOMES):
        # Commissioners hold a few outcomes tied to what they buy; heads of service hold the rest.
        owner = commissioner if key in {"sc_care_options", "sc_stability", "ed_send_local", "eh_edge_of_care"} else (
            heads[theme])
        outcomes.append(Outcome(
            statement=statement, theme=themes[theme], age_band=bands[band], owner=owner,
            corporate_priority=themes[theme].corporate_priority, level_of_need=level, order=order,
        ))
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(outcomes, Outcome, default_change_reason="Demo data")


def outcome_by_key() -> dict:
    """The demo outcomes by their key, for kpis.demo to link indicators to."""
    statements = {statement: key for key, _t, _b, _l, statement in OUTCOMES}
    return {statements[o.statement]: o for o in Outcome.objects.filter(statement__in=list(statements))}
