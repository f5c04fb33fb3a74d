import pytest

from heuristics import analyze_text
from heuristics.language import detect_language, dominant_script, language_name

ENGLISH = ("The city council approved the new budget on Tuesday after a long debate, and the mayor "
           "said the money would be spent on roads, schools and the library over the next year.")
BOX_SCORE = "\n".join(
    f"Palm Bay d. Rockledge {70 + n}-{44 + n}\nPalm Bay (1-0): Tolivert {n + 20} points. Davis 17 points. "
    f"Burgher 10 points and 3 steals. Moore 3 points.\nGoal: Martinez. Assist: Jordan. Saves: Baker {n}."
    for n in range(8))

# One or two sentences of ordinary news per language, repeated to a page's length.
SAMPLES = [
    ("en", ENGLISH),
    ("de", "Die Regierung hat am Montag beschlossen, dass die Steuern im nächsten Jahr steigen werden. "
           "Der Sprecher sagte, man habe mit den Ländern über die Pläne gesprochen und sei sich einig."),
    ("fr", "Le gouvernement a annoncé lundi une hausse des impôts pour l'année prochaine. Selon le "
           "ministre, cette mesure est nécessaire pour financer les écoles et les hôpitaux de la région."),
    ("es", "El gobierno anunció el lunes que los impuestos subirán el próximo año. Según el ministro, "
           "la medida es necesaria para pagar las escuelas y los hospitales de la región."),
    ("pt", "O governo anunciou na segunda-feira que os impostos vão subir no próximo ano. Segundo o "
           "ministro, a medida é necessária para pagar as escolas e os hospitais da região."),
    ("it", "Il governo ha annunciato lunedì che le tasse aumenteranno il prossimo anno. Secondo il "
           "ministro, la misura è necessaria per pagare le scuole e gli ospedali della regione."),
    ("nl", "De regering heeft maandag bekendgemaakt dat de belastingen volgend jaar omhoog gaan. "
           "Volgens de minister is dat nodig om de scholen en de ziekenhuizen in de regio te betalen."),
    ("ru", "Правительство в понедельник объявило, что налоги вырастут в следующем году. По словам "
           "министра, это нужно для того, чтобы оплатить школы и больницы в регионе, и он так сказал."),
    ("ja", "東京都内で新しい駅が月曜日に開業し、多くの利用者が訪れたと鉄道会社が発表した。"),
    ("ko", "서울에서 새로운 지하철역이 월요일에 문을 열었고 많은 시민들이 방문했다고 회사가 밝혔다."),
    ("zh", "北京市政府星期一宣布，明年将提高税收，用于支付学校和医院的费用。"),
    ("el", "Η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι οι φόροι θα αυξηθούν τον επόμενο χρόνο."),
    ("und-Arab", "أعلنت الحكومة يوم الاثنين أن الضرائب سترتفع في العام المقبل لتمويل المدارس والمستشفيات."),
    ("en", BOX_SCORE),  # English words, but not sentences
]


@pytest.mark.parametrize("expected, text", SAMPLES, ids=[f"{code}-{i}" for i, (code, _) in enumerate(SAMPLES)])
def test_the_text_decides_the_language_without_a_declaration(expected, text):
    assert detect_language((text + "\n") * 6) == expected


WELSH = ("Mae'r cyngor wedi cytuno ar y gyllideb newydd ddydd Mawrth, ac mae'r maer wedi dweud y bydd yr "
         "arian yn cael ei wario ar ffyrdd ac ysgolion yn y flwyddyn i ddod. ") * 6
LATVIAN = ("Pilsētas dome otrdien apstiprināja jauno budžetu, un mērs teica, ka nauda tiks izlietota ceļiem, "
           "skolām un bibliotēkai, bet darbi sāksies jau nākamgad un ir paredzēti vairāki posmi. ") * 6


def test_a_declared_language_is_believed_unless_the_text_is_english_prose():
    assert detect_language("Ok.", html_lang="de-DE") == "de"  # too little to read
    assert detect_language(ENGLISH * 3, html_lang="fr") == "en"  # the page's declaration lies
    assert detect_language(WELSH, html_lang="cy") == "cy"  # not a guess from other lists ("a", "i", "y")
    assert detect_language(WELSH) == "cy"
    assert detect_language(LATVIAN) == "lv"  # not "English lists and tables"
    # codes that name no language are no declaration
    assert detect_language(SAMPLES[1][1] * 4, html_lang="x-default") == "de"
    assert detect_language(SAMPLES[1][1] * 4, html_lang="und") == "de"


@pytest.mark.parametrize("text, script", [
    ("Hello world", "Latn"), ("Привет мир", "Cyrl"), ("東京の駅", "Kana"), ("北京市政府", "Hani"),
    ("12345 !!!", None),
])
def test_dominant_script(text, script):
    assert dominant_script(text) == script


@pytest.mark.parametrize("code, name", [
    ("de", "German"), ("und-Cyrl", "a language in Cyrillic script"), ("und", "language not recognised"),
    (None, "language not recognised"), ("xx", "xx"),
])
def test_language_names_shown_to_readers(code, name):
    assert language_name(code) == name


@pytest.mark.parametrize("text, reason", [
    (SAMPLES[1][1] * 8, "not in English (detected: German)"),
    (SAMPLES[7][1] * 8, "not in English (detected: Russian)"),
    (BOX_SCORE, "mostly lists, tables or figures"),
])
def test_unrated_pages_say_why_in_words(text, reason):
    report = analyze_text("Headline", text)
    assert report.badge.level == "unrated"
    assert reason in report.badge.reasons[0]


def test_english_prose_is_still_rated():
    report = analyze_text("Council approves budget", (ENGLISH + "\n") * 6)
    assert report.badge.level != "unrated", report.badge.reasons
    assert report.to_dict()["article"]["language"] == "en"
