//! Units of measure written after numbers, and whether two quantities are one measure
//! converted: `200 feet` rendered as `60 Meter`, `115 °F` as `46 °C`, `2.5 miles` as
//! `4 Kilometer`. Translators of news convert imperial measures into metric ones (and the
//! other way), rounding as they go, so the number check must not report such a pair as a
//! changed number.
//!
//! A unit is the word right after a number (`15 feet`, `15-foot`, `30cm`, `43 °C`,
//! `10 Grad Celsius`), or, for the first number of a range, the unit after the second one
//! (`43 bis 44 °C`, `8 to 12 feet`). The tables know the common units of length, mass,
//! volume, area, speed, temperature and time in English, German, French, Spanish,
//! Portuguese and Russian.

use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::lang::Lang;

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Metres.
    Length,
    /// Kilograms.
    Mass,
    /// Litres.
    Volume,
    /// Square metres.
    Area,
    /// Metres per second.
    Speed,
    /// Degrees Celsius.
    Temperature,
    /// Seconds.
    Time,
}

/// A unit: what it measures and how a value in it is read in the dimension's base unit
/// (`value * scale + offset`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// What the unit measures.
    pub dimension: Dimension,
    /// Base units per unit.
    pub scale: f64,
    /// Added after scaling (temperatures only).
    pub offset: f64,
}

impl Unit {
    const fn new(dimension: Dimension, scale: f64) -> Unit {
        Unit {
            dimension,
            scale,
            offset: 0.0,
        }
    }

    /// `value` in the dimension's base unit.
    pub fn base(&self, value: f64) -> f64 {
        value * self.scale + self.offset
    }
}

use Dimension::*;

const FAHRENHEIT: Unit = Unit {
    dimension: Temperature,
    scale: 5.0 / 9.0,
    offset: -160.0 / 9.0,
};
const CELSIUS: Unit = Unit::new(Temperature, 1.0);

/// Unit words and symbols, lowercase, each with its unit. A word is looked up whole (after
/// lowercasing), so inflected forms are listed.
const UNITS: &[(&str, Unit)] = &[
    // Length, in metres.
    ("foot", Unit::new(Length, 0.3048)),
    ("feet", Unit::new(Length, 0.3048)),
    ("ft", Unit::new(Length, 0.3048)),
    ("fuß", Unit::new(Length, 0.3048)),
    ("pied", Unit::new(Length, 0.3048)),
    ("pieds", Unit::new(Length, 0.3048)),
    ("pie", Unit::new(Length, 0.3048)),
    ("pies", Unit::new(Length, 0.3048)),
    ("pé", Unit::new(Length, 0.3048)),
    ("pés", Unit::new(Length, 0.3048)),
    ("фут", Unit::new(Length, 0.3048)),
    ("фута", Unit::new(Length, 0.3048)),
    ("футов", Unit::new(Length, 0.3048)),
    ("inch", Unit::new(Length, 0.0254)),
    ("inches", Unit::new(Length, 0.0254)),
    ("zoll", Unit::new(Length, 0.0254)),
    ("pouce", Unit::new(Length, 0.0254)),
    ("pouces", Unit::new(Length, 0.0254)),
    ("pulgada", Unit::new(Length, 0.0254)),
    ("pulgadas", Unit::new(Length, 0.0254)),
    ("polegada", Unit::new(Length, 0.0254)),
    ("polegadas", Unit::new(Length, 0.0254)),
    ("дюйм", Unit::new(Length, 0.0254)),
    ("дюйма", Unit::new(Length, 0.0254)),
    ("дюймов", Unit::new(Length, 0.0254)),
    ("yard", Unit::new(Length, 0.9144)),
    ("yards", Unit::new(Length, 0.9144)),
    ("yd", Unit::new(Length, 0.9144)),
    ("mile", Unit::new(Length, 1609.344)),
    ("miles", Unit::new(Length, 1609.344)),
    ("mi", Unit::new(Length, 1609.344)),
    ("meile", Unit::new(Length, 1609.344)),
    ("meilen", Unit::new(Length, 1609.344)),
    ("milla", Unit::new(Length, 1609.344)),
    ("millas", Unit::new(Length, 1609.344)),
    ("milha", Unit::new(Length, 1609.344)),
    ("milhas", Unit::new(Length, 1609.344)),
    ("миля", Unit::new(Length, 1609.344)),
    ("мили", Unit::new(Length, 1609.344)),
    ("миль", Unit::new(Length, 1609.344)),
    ("m", Unit::new(Length, 1.0)),
    ("meter", Unit::new(Length, 1.0)),
    ("meters", Unit::new(Length, 1.0)),
    ("metre", Unit::new(Length, 1.0)),
    ("metres", Unit::new(Length, 1.0)),
    ("metern", Unit::new(Length, 1.0)),
    ("mètre", Unit::new(Length, 1.0)),
    ("mètres", Unit::new(Length, 1.0)),
    ("metro", Unit::new(Length, 1.0)),
    ("metros", Unit::new(Length, 1.0)),
    ("м", Unit::new(Length, 1.0)),
    ("метр", Unit::new(Length, 1.0)),
    ("метра", Unit::new(Length, 1.0)),
    ("метров", Unit::new(Length, 1.0)),
    ("km", Unit::new(Length, 1000.0)),
    ("kilometer", Unit::new(Length, 1000.0)),
    ("kilometers", Unit::new(Length, 1000.0)),
    ("kilometre", Unit::new(Length, 1000.0)),
    ("kilometres", Unit::new(Length, 1000.0)),
    ("kilometern", Unit::new(Length, 1000.0)),
    ("kilomètre", Unit::new(Length, 1000.0)),
    ("kilomètres", Unit::new(Length, 1000.0)),
    ("kilómetro", Unit::new(Length, 1000.0)),
    ("kilómetros", Unit::new(Length, 1000.0)),
    ("quilômetro", Unit::new(Length, 1000.0)),
    ("quilômetros", Unit::new(Length, 1000.0)),
    ("quilómetro", Unit::new(Length, 1000.0)),
    ("quilómetros", Unit::new(Length, 1000.0)),
    ("км", Unit::new(Length, 1000.0)),
    ("километр", Unit::new(Length, 1000.0)),
    ("километра", Unit::new(Length, 1000.0)),
    ("километров", Unit::new(Length, 1000.0)),
    ("cm", Unit::new(Length, 0.01)),
    ("centimeter", Unit::new(Length, 0.01)),
    ("centimeters", Unit::new(Length, 0.01)),
    ("centimetre", Unit::new(Length, 0.01)),
    ("centimetres", Unit::new(Length, 0.01)),
    ("zentimeter", Unit::new(Length, 0.01)),
    ("zentimetern", Unit::new(Length, 0.01)),
    ("centimètre", Unit::new(Length, 0.01)),
    ("centimètres", Unit::new(Length, 0.01)),
    ("centímetro", Unit::new(Length, 0.01)),
    ("centímetros", Unit::new(Length, 0.01)),
    ("см", Unit::new(Length, 0.01)),
    ("сантиметр", Unit::new(Length, 0.01)),
    ("сантиметра", Unit::new(Length, 0.01)),
    ("сантиметров", Unit::new(Length, 0.01)),
    ("mm", Unit::new(Length, 0.001)),
    ("millimeter", Unit::new(Length, 0.001)),
    ("millimeters", Unit::new(Length, 0.001)),
    ("millimetre", Unit::new(Length, 0.001)),
    ("millimetres", Unit::new(Length, 0.001)),
    ("millimetern", Unit::new(Length, 0.001)),
    ("millimètre", Unit::new(Length, 0.001)),
    ("millimètres", Unit::new(Length, 0.001)),
    ("milímetro", Unit::new(Length, 0.001)),
    ("milímetros", Unit::new(Length, 0.001)),
    ("мм", Unit::new(Length, 0.001)),
    ("миллиметр", Unit::new(Length, 0.001)),
    ("миллиметра", Unit::new(Length, 0.001)),
    ("миллиметров", Unit::new(Length, 0.001)),
    // Mass, in kilograms.
    ("pound", Unit::new(Mass, 0.45359237)),
    ("pounds", Unit::new(Mass, 0.45359237)),
    ("lb", Unit::new(Mass, 0.45359237)),
    ("lbs", Unit::new(Mass, 0.45359237)),
    ("pfund", Unit::new(Mass, 0.45359237)),
    ("libra", Unit::new(Mass, 0.45359237)),
    ("libras", Unit::new(Mass, 0.45359237)),
    ("фунт", Unit::new(Mass, 0.45359237)),
    ("фунта", Unit::new(Mass, 0.45359237)),
    ("фунтов", Unit::new(Mass, 0.45359237)),
    ("ounce", Unit::new(Mass, 0.028349523)),
    ("ounces", Unit::new(Mass, 0.028349523)),
    ("oz", Unit::new(Mass, 0.028349523)),
    ("unze", Unit::new(Mass, 0.028349523)),
    ("unzen", Unit::new(Mass, 0.028349523)),
    ("onza", Unit::new(Mass, 0.028349523)),
    ("onzas", Unit::new(Mass, 0.028349523)),
    ("onça", Unit::new(Mass, 0.028349523)),
    ("onças", Unit::new(Mass, 0.028349523)),
    ("stone", Unit::new(Mass, 6.35029318)),
    ("kg", Unit::new(Mass, 1.0)),
    ("kilogram", Unit::new(Mass, 1.0)),
    ("kilograms", Unit::new(Mass, 1.0)),
    ("kilogramm", Unit::new(Mass, 1.0)),
    ("kilogramme", Unit::new(Mass, 1.0)),
    ("kilogrammes", Unit::new(Mass, 1.0)),
    ("kilogramo", Unit::new(Mass, 1.0)),
    ("kilogramos", Unit::new(Mass, 1.0)),
    ("quilograma", Unit::new(Mass, 1.0)),
    ("quilogramas", Unit::new(Mass, 1.0)),
    ("kilo", Unit::new(Mass, 1.0)),
    ("kilos", Unit::new(Mass, 1.0)),
    ("quilo", Unit::new(Mass, 1.0)),
    ("quilos", Unit::new(Mass, 1.0)),
    ("кг", Unit::new(Mass, 1.0)),
    ("килограмм", Unit::new(Mass, 1.0)),
    ("килограмма", Unit::new(Mass, 1.0)),
    ("килограммов", Unit::new(Mass, 1.0)),
    ("g", Unit::new(Mass, 0.001)),
    ("gram", Unit::new(Mass, 0.001)),
    ("grams", Unit::new(Mass, 0.001)),
    ("gramm", Unit::new(Mass, 0.001)),
    ("gramme", Unit::new(Mass, 0.001)),
    ("grammes", Unit::new(Mass, 0.001)),
    ("gramo", Unit::new(Mass, 0.001)),
    ("gramos", Unit::new(Mass, 0.001)),
    ("grama", Unit::new(Mass, 0.001)),
    ("gramas", Unit::new(Mass, 0.001)),
    ("грамм", Unit::new(Mass, 0.001)),
    ("грамма", Unit::new(Mass, 0.001)),
    ("граммов", Unit::new(Mass, 0.001)),
    ("ton", Unit::new(Mass, 1000.0)),
    ("tons", Unit::new(Mass, 1000.0)),
    ("tonne", Unit::new(Mass, 1000.0)),
    ("tonnes", Unit::new(Mass, 1000.0)),
    ("tonnen", Unit::new(Mass, 1000.0)),
    ("tonelada", Unit::new(Mass, 1000.0)),
    ("toneladas", Unit::new(Mass, 1000.0)),
    ("тонна", Unit::new(Mass, 1000.0)),
    ("тонны", Unit::new(Mass, 1000.0)),
    ("тонн", Unit::new(Mass, 1000.0)),
    // Volume, in litres.
    ("gallon", Unit::new(Volume, 3.785411784)),
    ("gallons", Unit::new(Volume, 3.785411784)),
    ("gallone", Unit::new(Volume, 3.785411784)),
    ("gallonen", Unit::new(Volume, 3.785411784)),
    ("galón", Unit::new(Volume, 3.785411784)),
    ("galones", Unit::new(Volume, 3.785411784)),
    ("galão", Unit::new(Volume, 3.785411784)),
    ("galões", Unit::new(Volume, 3.785411784)),
    ("галлон", Unit::new(Volume, 3.785411784)),
    ("галлона", Unit::new(Volume, 3.785411784)),
    ("галлонов", Unit::new(Volume, 3.785411784)),
    ("pint", Unit::new(Volume, 0.473176473)),
    ("pints", Unit::new(Volume, 0.473176473)),
    ("quart", Unit::new(Volume, 0.946352946)),
    ("quarts", Unit::new(Volume, 0.946352946)),
    ("l", Unit::new(Volume, 1.0)),
    ("liter", Unit::new(Volume, 1.0)),
    ("liters", Unit::new(Volume, 1.0)),
    ("litre", Unit::new(Volume, 1.0)),
    ("litres", Unit::new(Volume, 1.0)),
    ("litern", Unit::new(Volume, 1.0)),
    ("litro", Unit::new(Volume, 1.0)),
    ("litros", Unit::new(Volume, 1.0)),
    ("л", Unit::new(Volume, 1.0)),
    ("литр", Unit::new(Volume, 1.0)),
    ("литра", Unit::new(Volume, 1.0)),
    ("литров", Unit::new(Volume, 1.0)),
    ("ml", Unit::new(Volume, 0.001)),
    ("milliliter", Unit::new(Volume, 0.001)),
    ("milliliters", Unit::new(Volume, 0.001)),
    ("millilitre", Unit::new(Volume, 0.001)),
    ("millilitres", Unit::new(Volume, 0.001)),
    ("мл", Unit::new(Volume, 0.001)),
    // Area, in square metres.
    ("acre", Unit::new(Area, 4046.8564224)),
    ("acres", Unit::new(Area, 4046.8564224)),
    ("hektar", Unit::new(Area, 10_000.0)),
    ("hectare", Unit::new(Area, 10_000.0)),
    ("hectares", Unit::new(Area, 10_000.0)),
    ("hectárea", Unit::new(Area, 10_000.0)),
    ("hectáreas", Unit::new(Area, 10_000.0)),
    ("ha", Unit::new(Area, 10_000.0)),
    ("гектар", Unit::new(Area, 10_000.0)),
    ("гектара", Unit::new(Area, 10_000.0)),
    ("гектаров", Unit::new(Area, 10_000.0)),
    ("m²", Unit::new(Area, 1.0)),
    ("quadratmeter", Unit::new(Area, 1.0)),
    ("quadratmetern", Unit::new(Area, 1.0)),
    ("km²", Unit::new(Area, 1e6)),
    ("quadratkilometer", Unit::new(Area, 1e6)),
    ("quadratkilometern", Unit::new(Area, 1e6)),
    // Speed, in metres per second.
    ("mph", Unit::new(Speed, 0.44704)),
    ("km/h", Unit::new(Speed, 1.0 / 3.6)),
    ("kph", Unit::new(Speed, 1.0 / 3.6)),
    ("stundenkilometer", Unit::new(Speed, 1.0 / 3.6)),
    ("stundenkilometern", Unit::new(Speed, 1.0 / 3.6)),
    ("км/ч", Unit::new(Speed, 1.0 / 3.6)),
    // Temperature, in degrees Celsius.
    ("°f", FAHRENHEIT),
    ("fahrenheit", FAHRENHEIT),
    ("°c", CELSIUS),
    ("celsius", CELSIUS),
    ("centigrade", CELSIUS),
    ("°с", CELSIUS),
    // Time, in seconds.
    ("nanosecond", Unit::new(Time, 1e-9)),
    ("nanoseconds", Unit::new(Time, 1e-9)),
    ("nanosekunde", Unit::new(Time, 1e-9)),
    ("nanosekunden", Unit::new(Time, 1e-9)),
    ("ns", Unit::new(Time, 1e-9)),
    ("microsecond", Unit::new(Time, 1e-6)),
    ("microseconds", Unit::new(Time, 1e-6)),
    ("mikrosekunde", Unit::new(Time, 1e-6)),
    ("mikrosekunden", Unit::new(Time, 1e-6)),
    ("µs", Unit::new(Time, 1e-6)),
    ("millisecond", Unit::new(Time, 1e-3)),
    ("milliseconds", Unit::new(Time, 1e-3)),
    ("millisekunde", Unit::new(Time, 1e-3)),
    ("millisekunden", Unit::new(Time, 1e-3)),
    ("ms", Unit::new(Time, 1e-3)),
    ("second", Unit::new(Time, 1.0)),
    ("seconds", Unit::new(Time, 1.0)),
    ("sekunde", Unit::new(Time, 1.0)),
    ("sekunden", Unit::new(Time, 1.0)),
    ("seconde", Unit::new(Time, 1.0)),
    ("secondes", Unit::new(Time, 1.0)),
    ("segundo", Unit::new(Time, 1.0)),
    ("segundos", Unit::new(Time, 1.0)),
    ("секунда", Unit::new(Time, 1.0)),
    ("секунды", Unit::new(Time, 1.0)),
    ("секунд", Unit::new(Time, 1.0)),
    ("minute", Unit::new(Time, 60.0)),
    ("minutes", Unit::new(Time, 60.0)),
    ("minuten", Unit::new(Time, 60.0)),
    ("minuto", Unit::new(Time, 60.0)),
    ("minutos", Unit::new(Time, 60.0)),
    ("минута", Unit::new(Time, 60.0)),
    ("минуты", Unit::new(Time, 60.0)),
    ("минут", Unit::new(Time, 60.0)),
    ("hour", Unit::new(Time, 3600.0)),
    ("hours", Unit::new(Time, 3600.0)),
    ("stunde", Unit::new(Time, 3600.0)),
    ("stunden", Unit::new(Time, 3600.0)),
    ("heure", Unit::new(Time, 3600.0)),
    ("heures", Unit::new(Time, 3600.0)),
    ("hora", Unit::new(Time, 3600.0)),
    ("horas", Unit::new(Time, 3600.0)),
    ("час", Unit::new(Time, 3600.0)),
    ("часа", Unit::new(Time, 3600.0)),
    ("часов", Unit::new(Time, 3600.0)),
    ("day", Unit::new(Time, 86_400.0)),
    ("days", Unit::new(Time, 86_400.0)),
    ("tag", Unit::new(Time, 86_400.0)),
    ("tage", Unit::new(Time, 86_400.0)),
    ("tagen", Unit::new(Time, 86_400.0)),
    ("jour", Unit::new(Time, 86_400.0)),
    ("jours", Unit::new(Time, 86_400.0)),
    ("día", Unit::new(Time, 86_400.0)),
    ("días", Unit::new(Time, 86_400.0)),
    ("dia", Unit::new(Time, 86_400.0)),
    ("dias", Unit::new(Time, 86_400.0)),
    ("день", Unit::new(Time, 86_400.0)),
    ("дня", Unit::new(Time, 86_400.0)),
    ("дней", Unit::new(Time, 86_400.0)),
    ("week", Unit::new(Time, 604_800.0)),
    ("weeks", Unit::new(Time, 604_800.0)),
    ("woche", Unit::new(Time, 604_800.0)),
    ("wochen", Unit::new(Time, 604_800.0)),
    ("semaine", Unit::new(Time, 604_800.0)),
    ("semaines", Unit::new(Time, 604_800.0)),
    ("semana", Unit::new(Time, 604_800.0)),
    ("semanas", Unit::new(Time, 604_800.0)),
    ("неделя", Unit::new(Time, 604_800.0)),
    ("недели", Unit::new(Time, 604_800.0)),
    ("недель", Unit::new(Time, 604_800.0)),
    // Months, years, decades and centuries of the Julian year (365.25 days). (Not French
    // `an`, Spanish `mes` or Portuguese `ano`: words of other meanings in the other
    // languages.)
    ("month", Unit::new(Time, 2_629_800.0)),
    ("months", Unit::new(Time, 2_629_800.0)),
    ("monat", Unit::new(Time, 2_629_800.0)),
    ("monate", Unit::new(Time, 2_629_800.0)),
    ("monaten", Unit::new(Time, 2_629_800.0)),
    ("mois", Unit::new(Time, 2_629_800.0)),
    ("meses", Unit::new(Time, 2_629_800.0)),
    ("mês", Unit::new(Time, 2_629_800.0)),
    ("месяц", Unit::new(Time, 2_629_800.0)),
    ("месяца", Unit::new(Time, 2_629_800.0)),
    ("месяцев", Unit::new(Time, 2_629_800.0)),
    ("year", Unit::new(Time, 31_557_600.0)),
    ("years", Unit::new(Time, 31_557_600.0)),
    ("jahr", Unit::new(Time, 31_557_600.0)),
    ("jahre", Unit::new(Time, 31_557_600.0)),
    ("jahren", Unit::new(Time, 31_557_600.0)),
    ("année", Unit::new(Time, 31_557_600.0)),
    ("années", Unit::new(Time, 31_557_600.0)),
    ("año", Unit::new(Time, 31_557_600.0)),
    ("años", Unit::new(Time, 31_557_600.0)),
    ("anos", Unit::new(Time, 31_557_600.0)),
    ("год", Unit::new(Time, 31_557_600.0)),
    ("года", Unit::new(Time, 31_557_600.0)),
    ("лет", Unit::new(Time, 31_557_600.0)),
    ("decade", Unit::new(Time, 315_576_000.0)),
    ("decades", Unit::new(Time, 315_576_000.0)),
    ("jahrzehnt", Unit::new(Time, 315_576_000.0)),
    ("jahrzehnte", Unit::new(Time, 315_576_000.0)),
    ("jahrzehnten", Unit::new(Time, 315_576_000.0)),
    ("décennie", Unit::new(Time, 315_576_000.0)),
    ("décennies", Unit::new(Time, 315_576_000.0)),
    ("década", Unit::new(Time, 315_576_000.0)),
    ("décadas", Unit::new(Time, 315_576_000.0)),
    ("десятилетие", Unit::new(Time, 315_576_000.0)),
    ("десятилетия", Unit::new(Time, 315_576_000.0)),
    ("десятилетий", Unit::new(Time, 315_576_000.0)),
    ("century", Unit::new(Time, 3_155_760_000.0)),
    ("centuries", Unit::new(Time, 3_155_760_000.0)),
    ("jahrhundert", Unit::new(Time, 3_155_760_000.0)),
    ("jahrhunderte", Unit::new(Time, 3_155_760_000.0)),
    ("jahrhunderten", Unit::new(Time, 3_155_760_000.0)),
    ("siècle", Unit::new(Time, 3_155_760_000.0)),
    ("siècles", Unit::new(Time, 3_155_760_000.0)),
    ("siglo", Unit::new(Time, 3_155_760_000.0)),
    ("siglos", Unit::new(Time, 3_155_760_000.0)),
    ("século", Unit::new(Time, 3_155_760_000.0)),
    ("séculos", Unit::new(Time, 3_155_760_000.0)),
    ("век", Unit::new(Time, 3_155_760_000.0)),
    ("века", Unit::new(Time, 3_155_760_000.0)),
    ("веков", Unit::new(Time, 3_155_760_000.0)),
];

/// Words for degrees: a temperature in Celsius unless a scale word follows (`Grad
/// Fahrenheit`), except in English, where degrees alone do not say which scale.
const DEGREES: [&str; 12] = [
    "degree",
    "degrees",
    "grad",
    "degré",
    "degrés",
    "grado",
    "grados",
    "grau",
    "graus",
    "градус",
    "градуса",
    "градусов",
];

/// Words joining the two ends of a range (`8 to 12 feet`, `43 bis 44 °C`).
const RANGE_WORDS: [&str; 12] = [
    "to", "or", "and", "bis", "oder", "und", "à", "ou", "a", "o", "y", "до",
];

/// The unit named by `word` (as written), if it names one.
fn unit_named(word: &str) -> Option<Unit> {
    static TABLE: OnceLock<FxHashMap<&'static str, Unit>> = OnceLock::new();
    let table = TABLE.get_or_init(|| UNITS.iter().copied().collect());
    // No unit word is longer than 17 letters.
    if word.len() > 40 {
        return None;
    }
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || !b.is_ascii_alphabetic())
    {
        return table.get(word).copied();
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    table.get(lower.as_str()).copied()
}

/// The next word of `text` from its start: letters, `°`, `²`, `µ` and a `/` between
/// letters (`km/h`), and the rest of `text` after it.
fn next_word(text: &str) -> (&str, &str) {
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let slash_inside =
            c == '/' && end > 0 && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || matches!(c, '°' | '²' | 'µ') || slash_inside {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    text.split_at(end)
}

/// Skips what stands between a number and its unit: spaces (also no-break and thin), and a
/// hyphen (`15-foot`).
fn skip_gap(text: &str) -> &str {
    text.trim_start_matches([' ', '\u{a0}', '\u{202f}', '-', '‐'])
}

/// The unit written right after the number that ends at byte `end` of `text` (`None` when
/// no unit word follows). `lang` is the text's language: English degrees alone name no
/// scale.
fn unit_right_after(text: &str, end: usize, lang: Option<Lang>) -> Option<Unit> {
    let rest = skip_gap(text.get(end..)?);
    let (word, after) = next_word(rest);
    if word.is_empty() {
        return None;
    }
    let is =
        |w: &str| w.len() == word.len() && word.chars().flat_map(char::to_lowercase).eq(w.chars());
    if DEGREES.iter().any(|d| is(d)) {
        let (scale, _) = next_word(after.trim_start_matches([' ', '\u{a0}']));
        return match unit_named(scale) {
            Some(u) if u.dimension == Temperature => Some(u),
            _ if lang.is_some_and(|l| l.code() == "en") => None,
            _ => Some(CELSIUS),
        };
    }
    // Miles an hour, miles per hour.
    if is("mile") || is("miles") {
        let tail = after.trim_start_matches(' ').to_lowercase();
        if tail.starts_with("an hour") || tail.starts_with("per hour") {
            return Some(Unit::new(Speed, 0.44704));
        }
    }
    unit_named(word)
}

/// Where the unit word right after the number ending at byte `end` of `text` ends (`end`
/// itself when no word follows), for quoting the number with its unit.
pub fn unit_end(text: &str, end: usize) -> usize {
    let Some(rest) = text.get(end..) else {
        return end;
    };
    let gap = skip_gap(rest);
    let (word, _) = next_word(gap);
    if word.is_empty() {
        end
    } else {
        end + (rest.len() - gap.len()) + word.len()
    }
}

/// The unit of the number at `span` of `text`: the one right after it, or, when the
/// number is the first end of a range (`8 to 12 feet`), the one after the range's second
/// number. `lang` is the text's language.
pub fn unit_of(text: &str, span: Range<usize>, lang: Option<Lang>) -> Option<Unit> {
    if let Some(u) = unit_right_after(text, span.end, lang) {
        return Some(u);
    }
    unit_right_after(text, range_end(text, span.end)?, lang)
}

/// Where the second end of a range ends when the number that ends at byte `end` of `text`
/// is its first end (`8 to 12`, `43 bis 44`, `zwei bis vier`, `eine halbe bis eine`).
fn range_end(text: &str, end: usize) -> Option<usize> {
    let rest = text.get(end..)?;
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    let (word, after) = match rest.strip_prefix(['–', '—', '-']) {
        Some(after) => ("-", after),
        None => next_word(rest),
    };
    let lower = word.to_lowercase();
    if word != "-" && !RANGE_WORDS.contains(&lower.as_str()) {
        return None;
    }
    // The second end: digits or a word, then its unit.
    let second = after.trim_start_matches([' ', '\u{a0}']);
    let digits = second
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(second.len());
    let number_end = if digits > 0 {
        digits
    } else {
        next_word(second).0.len()
    };
    if number_end == 0 {
        return None;
    }
    Some(text.len() - second.len() + number_end)
}

/// Scale words after a number (`2.5 million`, `3 Milliarden`), lowercase, with the
/// languages whose word it is (`None`: every language) and the factor. The same word may
/// scale differently by language: an English billion is a thousand million, a German,
/// French or Spanish one a million million.
const SCALES: &[(&str, Option<&str>, f64)] = &[
    ("thousand", None, 1e3),
    ("tausend", None, 1e3),
    ("tsd", None, 1e3),
    ("mille", None, 1e3),
    ("mil", None, 1e3),
    ("тысяча", None, 1e3),
    ("тысячи", None, 1e3),
    ("тысяч", None, 1e3),
    ("тыс", None, 1e3),
    ("million", None, 1e6),
    ("millions", None, 1e6),
    ("millionen", None, 1e6),
    ("mio", None, 1e6),
    ("millón", None, 1e6),
    ("millones", None, 1e6),
    ("milhão", None, 1e6),
    ("milhões", None, 1e6),
    ("миллион", None, 1e6),
    ("миллиона", None, 1e6),
    ("миллионов", None, 1e6),
    ("млн", None, 1e6),
    ("billion", Some("en"), 1e9),
    ("billions", Some("en"), 1e9),
    ("milliarde", None, 1e9),
    ("milliarden", None, 1e9),
    ("mrd", None, 1e9),
    ("milliard", None, 1e9),
    ("milliards", None, 1e9),
    ("bilhão", Some("pt"), 1e9),
    ("bilhões", Some("pt"), 1e9),
    ("миллиард", None, 1e9),
    ("миллиарда", None, 1e9),
    ("миллиардов", None, 1e9),
    ("млрд", None, 1e9),
    ("trillion", Some("en"), 1e12),
    ("trillions", Some("en"), 1e12),
    ("billion", Some("de"), 1e12),
    ("billionen", Some("de"), 1e12),
    ("billion", Some("fr"), 1e12),
    ("billions", Some("fr"), 1e12),
    ("billón", Some("es"), 1e12),
    ("billones", Some("es"), 1e12),
    ("trilhão", Some("pt"), 1e12),
    ("trilhões", Some("pt"), 1e12),
    ("триллион", None, 1e12),
    ("триллиона", None, 1e12),
    ("триллионов", None, 1e12),
    ("трлн", None, 1e12),
];

/// The factor of the scale word right after the number that ends at byte `end` of `text`
/// (`2.5 million`: 1e6; `2 mil millones`: 1e9), read in `lang`; `None` without one, or when
/// the word's factor depends on a language not given.
pub fn scale_of(text: &str, end: usize, lang: Option<Lang>) -> Option<f64> {
    scale_after(text, end, lang, true)
}

/// The factor of the scale word written right after the number that ends at byte `end` of
/// `text` (not one taken from the second end of a range).
pub fn scale_right_after(text: &str, end: usize, lang: Option<Lang>) -> Option<f64> {
    scale_after(text, end, lang, false)
}

fn scale_after(text: &str, end: usize, lang: Option<Lang>, ranges: bool) -> Option<f64> {
    let code = lang.map(|l| l.code());
    let factor = |word: &str| -> Option<f64> {
        if word.is_empty() || word.len() > 24 {
            return None;
        }
        let lower: String = word.chars().flat_map(char::to_lowercase).collect();
        SCALES
            .iter()
            .find(|(w, l, _)| *w == lower && l.is_none_or(|l| Some(l) == code))
            .map(|&(_, _, f)| f)
    };
    let word_after = |end: usize| {
        let rest = text
            .get(end..)?
            .trim_start_matches([' ', '\u{a0}', '\u{202f}']);
        // A scale word stands apart from its number.
        (rest.len() < text.len() - end).then(|| next_word(rest))
    };
    let (word, after) = match word_after(end) {
        Some((w, a)) if factor(w).is_some() => (w, a),
        // The first end of a range takes the second's (`eine halbe bis eine Million`,
        // `2 to 3 million`), unless it is large already (`500000 to a million`).
        _ if ranges && small(text, end) => word_after(range_end(text, end)?)?,
        _ => return None,
    };
    let first = factor(word)?;
    let after = after.strip_prefix('.').unwrap_or(after);
    let (second, _) = next_word(after.trim_start_matches([' ', '\u{a0}']));
    Some(first * factor(second).filter(|f| *f > first).unwrap_or(1.0))
}

/// Whether the number that ends at byte `end` of `text` is a word or has at most three
/// digits before any decimal mark (so that a scale word may apply to it).
fn small(text: &str, end: usize) -> bool {
    let before = &text.as_bytes()[..end.min(text.len())];
    let token = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b','))
        .count();
    let token = &before[before.len() - token..];
    if !token.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    token.iter().take_while(|b| b.is_ascii_digit()).count() <= 3
}

/// The scale word `lang` writes for `factor` (for a suggestion), if there is one.
pub fn scale_word(factor: f64, lang: Option<Lang>) -> Option<&'static str> {
    let code = lang?.code();
    let words: [(&str, [&str; 3]); 6] = [
        ("en", ["million", "billion", "trillion"]),
        ("de", ["Millionen", "Milliarden", "Billionen"]),
        ("fr", ["millions", "milliards", "billions"]),
        ("es", ["millones", "mil millones", "billones"]),
        ("pt", ["milhões", "bilhões", "trilhões"]),
        ("ru", ["млн", "млрд", "трлн"]),
    ];
    let (_, w) = words.iter().find(|(c, _)| *c == code)?;
    [1e6, 1e9, 1e12]
        .iter()
        .position(|f| *f == factor)
        .map(|k| w[k])
}

/// Whether `a` in `ua` and `b` in `ub` are one measure, one of them converted (and rounded
/// as a translator rounds): the same dimension, and in its base unit within 12 % of each
/// other or equal at one significant digit (`4.57 m` written `5 m`); temperatures within
/// 3 degrees Celsius.
pub fn same_measure(a: f64, ua: Unit, b: f64, ub: Unit) -> bool {
    if ua.dimension != ub.dimension {
        return false;
    }
    let (x, y) = (ua.base(a), ub.base(b));
    if ua.dimension == Temperature {
        return (x - y).abs() <= 3.0;
    }
    if x <= 0.0 || y <= 0.0 {
        return x == y;
    }
    let close = (x - y).abs() <= 0.12 * x.max(y);
    // Rounded to one significant digit in the unit `b` is written in.
    let in_b = x / ub.scale;
    let magnitude = 10f64.powf(in_b.log10().floor());
    let rounded = (in_b / magnitude).round() * magnitude;
    close || (rounded - b).abs() <= 1e-9 * rounded.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(text: &str, number: &str) -> Option<Unit> {
        let at = text.find(number).expect("number in text");
        unit_of(text, at..at + number.len(), None)
    }

    #[test]
    fn units_after_numbers_and_ranges() {
        assert_eq!(
            unit("almost 200 feet out", "200"),
            Some(Unit::new(Length, 0.3048))
        );
        assert_eq!(
            unit("a 15-foot boat", "15"),
            Some(Unit::new(Length, 0.3048))
        );
        assert_eq!(unit("ca. 30cm lang", "30"), Some(Unit::new(Length, 0.01)));
        assert_eq!(unit("43 bis 44 °C", "43"), Some(CELSIUS));
        assert_eq!(unit("43 bis 44 °C", "44"), Some(CELSIUS));
        assert_eq!(
            unit("zwei bis vier Meter lang", "zwei"),
            Some(Unit::new(Length, 1.0))
        );
        assert_eq!(unit("bei 20 Grad im Schatten", "20"), Some(CELSIUS));
        assert_eq!(unit("at 115 Fahrenheit", "115"), Some(FAHRENHEIT));
        assert_eq!(
            unit("at 60 miles per hour", "60"),
            Some(Unit::new(Speed, 0.44704))
        );
        assert_eq!(
            unit("mit 100 km/h", "100"),
            Some(Unit::new(Speed, 1.0 / 3.6))
        );
        assert_eq!(unit("20 people came", "20"), None);
        assert_eq!(unit("in 2020 to 2022", "2020"), None);
        // English degrees name no scale of their own.
        let t = "at 20 degrees";
        assert_eq!(unit_of(t, 3..5, Lang::from_code("en").ok()), None);
        assert_eq!(unit_of(t, 3..5, Lang::from_code("de").ok()), Some(CELSIUS));
    }

    #[test]
    fn scale_words_by_language() {
        let en = Lang::from_code("en").ok();
        let de = Lang::from_code("de").ok();
        let at = |t: &str, n: &str| t.find(n).expect("number") + n.len();
        let t = "worth 2.5 million dollars";
        assert_eq!(scale_of(t, at(t, "2.5"), en), Some(1e6));
        let t = "2 billion";
        assert_eq!(scale_of(t, 1, en), Some(1e9));
        assert_eq!(scale_of(t, 1, de), Some(1e12));
        assert_eq!(scale_of(t, 1, None), None);
        let t = "2 mil millones";
        assert_eq!(scale_of(t, 1, Lang::from_code("es").ok()), Some(1e9));
        let t = "2,5 Mio. Euro";
        assert_eq!(scale_of(t, 3, de), Some(1e6));
        // A range's first end takes the second's scale, unless it is large already.
        let t = "2 to 3 million";
        assert_eq!(scale_of(t, 1, en), Some(1e6));
        assert_eq!(scale_right_after(t, 1, en), None);
        let t = "500000 to a million";
        assert_eq!(scale_of(t, 6, en), None);
        let t = "2 million";
        assert_eq!(scale_of(t, 0, en), None, "no space: not after a number");
    }

    #[test]
    fn conversions_as_translators_round_them() {
        let (ft, m, cm) = (
            Unit::new(Length, 0.3048),
            Unit::new(Length, 1.0),
            Unit::new(Length, 0.01),
        );
        assert!(same_measure(200.0, ft, 60.0, m));
        assert!(same_measure(15.0, ft, 5.0, m));
        assert!(same_measure(1.0, ft, 30.0, cm));
        assert!(same_measure(12.0, ft, 4.0, m));
        assert!(same_measure(115.0, FAHRENHEIT, 46.0, CELSIUS));
        assert!(same_measure(
            10_000.0,
            Unit::new(Time, 1e-9),
            10.0,
            Unit::new(Time, 1e-6)
        ));
        // Years, decades, centuries and months by their words.
        let named = |w: &str| unit_named(w).expect(w);
        assert!(same_measure(
            30.0,
            named("years"),
            3.0,
            named("Jahrzehnten")
        ));
        assert!(same_measure(
            200.0,
            named("years"),
            2.0,
            named("Jahrhunderten")
        ));
        assert!(same_measure(6.0, named("months"), 0.5, named("Jahr")));
        assert!(!same_measure(20.0, named("years"), 3.0, named("décennies")));
        assert!(unit_named("an").is_none() && unit_named("mes").is_none());
        // Another measure, or another amount, is no conversion.
        assert!(!same_measure(200.0, ft, 200.0, m));
        assert!(!same_measure(200.0, ft, 90.0, m));
        assert!(!same_measure(15.0, ft, 15.0, Unit::new(Mass, 1.0)));
        assert!(!same_measure(115.0, FAHRENHEIT, 115.0, CELSIUS));
    }
}
