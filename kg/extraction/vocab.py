"""Grammatical constants of the extraction rules, each under one name.

Dependency labels, part-of-speech tags and entity labels follow spaCy's English pipelines
(ClearNLP dependencies, OntoNotes entity labels); the closed-class words (pronouns,
prepositions, auxiliaries, determiners) are English grammar rather than knowledge that grows.
Open-class word lists (event nouns, reporting verbs, titles) are data: see
:mod:`kg.extraction.words`.
"""

from __future__ import annotations

# ---------------------------------------------------------------- dependency labels

# A clause's grammatical subjects.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
# Coordination that ends an argument phrase.
CLAUSE_EDGE_DEPS = frozenset({"conj", "cc", "preconj"})
# Dropped from an argument span: they start new clauses or coordination members.
ARG_DROP_DEPS = CLAUSE_EDGE_DEPS | {"relcl", "advcl", "parataxis"}
PREDICATIVE_DEPS = frozenset({"attr", "acomp", "oprd"})
# A possessor before an event noun is its agent ("Russia's annexation").
POSSESSOR_DEPS = frozenset({"poss"})
# Modifiers before a noun that can name its agent ("a Ukrainian drone attack").
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
# Noun-internal links an adjunct test walks up through to the word that governs the phrase.
NOUN_PHRASE_DEPS = frozenset({"pobj", "prep", "compound", "amod", "nmod", "poss", "conj", "cc",
                              "appos", "det", "nummod"})
# Dependents of a trigger that start clauses of their own: their actors are not its arguments.
CLAUSE_CHILD_DEPS = frozenset({"advcl", "ccomp", "parataxis", "relcl", "conj"})
# Links that embed a clause inside another one (a date or a cue inside one is not the outer's).
EMBEDDED_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj",
                                  "pcomp"})
# A noun in these places is an adjunct or a participant of its clause, with dates of its own.
NOUN_ADJUNCT_DEPS = frozenset({"pobj", "nsubj", "nsubjpass"})

# ---------------------------------------------------------------- tags and parts of speech

WH_TAGS = frozenset({"WP", "WDT", "WRB", "WP$"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
# Parts of speech that never head an argument.
NOT_ARGUMENT_POS = frozenset({"ADV", "SCONJ", "CCONJ", "PART", "DET", "PUNCT", "SPACE"})

# ---------------------------------------------------------------- entity labels

# Named-entity labels that name a thing an entity can be made of.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)
# Labels of names that can act (a place name can stand for its government).
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# Labels of a name before an event noun that is its agent: a place there says where, not who
# ("a Gaza offensive").
EVENT_AGENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Labels of a collective modifier of an act noun that is its agent ("Israeli strikes",
# "Hamas attacks").
AGENT_MODIFIER_LABELS = frozenset({"NORP", "GPE", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Modifiers that name the nation of a phrase's people ("French and Egyptian warships").
NATION_LABELS = frozenset({"NORP", "GPE"})
# A time is never an act's target ("a suspension on Wednesday").
WHEN_LABELS = frozenset({"DATE", "TIME"})
# Labels of values, never actors.
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# The entity types of kg's gazetteer and graph.
ENTITY_TYPES = frozenset({"Person", "Organization", "Country", "GeopoliticalEntity", "Location",
                          "Group", "Facility", "OtherEntity"})
COUNTRY_TYPES = frozenset({"Country"})
BODY_TYPES = frozenset({"Group", "Organization"})
# Bodies that own things and act; cities and regions are poorer antecedents of "it"/"its".
ACTOR_TYPES = COUNTRY_TYPES | BODY_TYPES
# spaCy label -> kg entity type of a name the gazetteer does not know.
LABEL_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "GeopoliticalEntity",
    "LOC": "Location",
    "FAC": "Facility",
    "NORP": "Group",
}
# kg entity type -> the spaCy label its gazetteer names are tagged with.
SPACY_LABELS = {
    "Person": "PERSON",
    "Organization": "ORG",
    "Country": "GPE",
    "GeopoliticalEntity": "GPE",
    "Location": "LOC",
    "Group": "NORP",
    "Facility": "FAC",
    "OtherEntity": "MISC",
}

# ---------------------------------------------------------------- pronouns and determiners

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
# The pronouns coreference resolves to a named entity.
THIRD_PERSON_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS | NEUTER_PRONOUNS | PLURAL_PRONOUNS
OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it"})
# Pronouns and demonstratives that name no one by themselves (a fact with one as its
# argument is less sure).
PRO_FORMS = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their",
                       "we", "i", "you", "this", "that", "these", "those", "who", "which"})
# Articles and pronouns: a capitalised one opens a sentence, it names nothing.
FUNCTION_WORDS = frozenset({"the", "a", "an", "it", "they", "he", "she", "we", "i", "you",
                            "this", "that", "these", "those", "its", "their", "his", "her"})
# Subjects that name no one in particular ("whoever breaks the truce", "anyone who attacks").
GENERIC_SUBJECTS = frozenset({"whoever", "whomever", "anyone", "anybody", "whatever", "whichever"})
# Subjects that say the act did not happen ("nobody attacked").
NOBODY = frozenset({"nobody", "none", "noone"})
# Possessive pronouns that make a phrase its subject's own, by the subjects they can refer to.
OWN_POSSESSIVES = {"its": "thing", "their": "plural", "his": "person", "her": "person"}
# Number words before a plural description ("the two governments").
PLURAL_COUNTS = {"two": 2, "both": 2, "three": 3, "2": 2, "3": 3}

# ---------------------------------------------------------------- negation, modality, markers

# A told or reported act is one claim; a plan, a condition or a request is another.
FACTUAL_MODALITIES = frozenset({"asserted", "reported"})

# Words that negate the word they modify ("not", "never", "no longer").
NEGATION_WORDS = frozenset({"not", "n't", "never", "no", "nor", "neither", "nt"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should", "'d"})
# The future of an actor's own act is an intent, as CAMEO codes "X will provide aid".
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
COPULA = frozenset({"be"})
# Words that introduce members of a set named just before ("leaders, including Zelensky").
EXAMPLE_MARKERS = frozenset({"including", "like"})

# ---------------------------------------------------------------- prepositions

# The preposition of a passive's agent ("backed by X"): a frame with it reads agent first.
AGENT_PREP = "by"
# A common-noun object names the deal or tie; its partner is the target ("signed an accord
# with X", "restore ties with X", "a resumption of ties between X and Y").
PARTNER_PREPS = frozenset({"with", "to", "between", "against", "on", "toward", "towards", "from",
                           "for", "of"})
# Prepositions of a partner on equal terms: a symmetric event noun holds both ways with one
# ("talks with X", "a meeting between X and Y"), not with a recipient ("a call to X").
PARTY_PREPS = frozenset({"with", "between"})
# Prepositions after a direct object that name who receives or suffers the act ("sent troops
# to Syria", "fired rockets at Israel").
RECIPIENT_PREPS = frozenset({"to", "at", "on", "against", "into"})
# A name after one of these is read as a place ("in Kyiv", "over Gaza", "into Ukraine").
PLACE_PREPS = frozenset({"in", "at", "on", "over", "near", "across", "inside", "into", "outside"})
# Prepositions of the place of a passive act with no agent ("was arrested in X"): the state
# where it happened acts.
PASSIVE_PLACE_PREPS = frozenset({"in", "at"})
# Prepositions of where or whence ("talks in Doha", "teams from Bulgaria", "recognised X as
# Y's leader"): a place named inside them says where, not who acts or suffers the act.
PLACE_ADJUNCT_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "around",
                                 "throughout", "within", "as"})
# Prepositions that give an event its location ("off the coast", "along the border").
LOCATION_PREPS = frozenset({"in", "at", "near", "over", "inside", "outside", "across", "around",
                            "throughout", "within", "off", "along", "beside"})
# Prepositions that name the agent of an act noun ("shelling by X", "fire from X").
AGENT_NOUN_PREPS = frozenset({"by", "from"})
# Prepositions under which a passive names the act that befell its subject ("killed in
# shelling by X", "wounded in an attack by X").
ACT_PREPS = frozenset({"in", "during", "by"})
# Prepositions that name the means of a harm ("killed in a car bombing", "killed by a mine").
MEANS_PREPS = frozenset({"in", "by"})
# Prepositions naming what a reaction is about ("complained to the UN over X's raids").
CONCERN_PREPS = frozenset({"over", "about", "against", "at"})
# Prepositions that bound a time instead of placing an act in it ("since 2014").
BOUND_PREPS = frozenset({"since", "until", "till"})

# ---------------------------------------------------------------- punctuation

QUOTE_CHARS = frozenset({'"', "\u201c", "\u201d", "'", "\u2018", "\u2019"})
# Opening quotation marks and the mark that closes each.
OPEN_QUOTES = {"“": "”", "‘": "’", "«": "»", '"': '"', "``": "''"}
# Punctuation trimmed from the edges of an argument.
EDGE_PUNCT = frozenset(",;:-–—\"'“”‘’()[]")
