package org.openigc.identifiers;

import static java.util.Map.entry;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Département codes → French names and régions, for the {@code ST} attribute of certificate
 * subjects ({@code ST=Rhône (69)}, DOMAIN §3).
 *
 * <p>Codes are the INSEE ones: two characters in metropolitan France ("01", "2A"), three
 * overseas ("971"). Saint-Pierre-et-Miquelon ("975") has a name, because FINESS numbers it,
 * but no région: it is an overseas collectivity, not part of the 18 régions.
 */
public final class Departements {

    private static final Map<String, String> NAMES = Map.ofEntries(
            entry("01", "Ain"), entry("02", "Aisne"), entry("03", "Allier"),
            entry("04", "Alpes-de-Haute-Provence"), entry("05", "Hautes-Alpes"), entry("06", "Alpes-Maritimes"),
            entry("07", "Ardèche"), entry("08", "Ardennes"), entry("09", "Ariège"), entry("10", "Aube"),
            entry("11", "Aude"), entry("12", "Aveyron"), entry("13", "Bouches-du-Rhône"), entry("14", "Calvados"),
            entry("15", "Cantal"), entry("16", "Charente"), entry("17", "Charente-Maritime"), entry("18", "Cher"),
            entry("19", "Corrèze"), entry("2A", "Corse-du-Sud"), entry("2B", "Haute-Corse"),
            entry("21", "Côte-d'Or"), entry("22", "Côtes-d'Armor"), entry("23", "Creuse"), entry("24", "Dordogne"),
            entry("25", "Doubs"), entry("26", "Drôme"), entry("27", "Eure"), entry("28", "Eure-et-Loir"),
            entry("29", "Finistère"), entry("30", "Gard"), entry("31", "Haute-Garonne"), entry("32", "Gers"),
            entry("33", "Gironde"), entry("34", "Hérault"), entry("35", "Ille-et-Vilaine"), entry("36", "Indre"),
            entry("37", "Indre-et-Loire"), entry("38", "Isère"), entry("39", "Jura"), entry("40", "Landes"),
            entry("41", "Loir-et-Cher"), entry("42", "Loire"), entry("43", "Haute-Loire"),
            entry("44", "Loire-Atlantique"), entry("45", "Loiret"), entry("46", "Lot"),
            entry("47", "Lot-et-Garonne"), entry("48", "Lozère"), entry("49", "Maine-et-Loire"),
            entry("50", "Manche"), entry("51", "Marne"), entry("52", "Haute-Marne"), entry("53", "Mayenne"),
            entry("54", "Meurthe-et-Moselle"), entry("55", "Meuse"), entry("56", "Morbihan"),
            entry("57", "Moselle"), entry("58", "Nièvre"), entry("59", "Nord"), entry("60", "Oise"),
            entry("61", "Orne"), entry("62", "Pas-de-Calais"), entry("63", "Puy-de-Dôme"),
            entry("64", "Pyrénées-Atlantiques"), entry("65", "Hautes-Pyrénées"),
            entry("66", "Pyrénées-Orientales"), entry("67", "Bas-Rhin"), entry("68", "Haut-Rhin"),
            entry("69", "Rhône"), entry("70", "Haute-Saône"), entry("71", "Saône-et-Loire"),
            entry("72", "Sarthe"), entry("73", "Savoie"), entry("74", "Haute-Savoie"), entry("75", "Paris"),
            entry("76", "Seine-Maritime"), entry("77", "Seine-et-Marne"), entry("78", "Yvelines"),
            entry("79", "Deux-Sèvres"), entry("80", "Somme"), entry("81", "Tarn"),
            entry("82", "Tarn-et-Garonne"), entry("83", "Var"), entry("84", "Vaucluse"), entry("85", "Vendée"),
            entry("86", "Vienne"), entry("87", "Haute-Vienne"), entry("88", "Vosges"), entry("89", "Yonne"),
            entry("90", "Territoire de Belfort"), entry("91", "Essonne"), entry("92", "Hauts-de-Seine"),
            entry("93", "Seine-Saint-Denis"), entry("94", "Val-de-Marne"), entry("95", "Val-d'Oise"),
            entry("971", "Guadeloupe"), entry("972", "Martinique"), entry("973", "Guyane"),
            entry("974", "La Réunion"), entry("975", "Saint-Pierre-et-Miquelon"), entry("976", "Mayotte"));

    /** Built from Region so that the département lists live in one place only. */
    private static final Map<String, Region> REGIONS = new HashMap<>();

    static {
        for (Region region : Region.values()) {
            for (String code : region.departements()) {
                REGIONS.put(code, region);
            }
        }
    }

    private Departements() {
    }

    public static Optional<Region> regionOf(String departementCode) {
        return Optional.ofNullable(departementCode == null ? null : REGIONS.get(departementCode));
    }

    /** French name with accents, e.g. "Rhône" for "69"; empty for an unknown code. */
    public static Optional<String> nameOf(String departementCode) {
        return Optional.ofNullable(departementCode == null ? null : NAMES.get(departementCode));
    }

    /**
     * The {@code ST} value of a certificate subject: {@code "<name> (<code>)"}, e.g. "Rhône (69)".
     *
     * @throws IllegalArgumentException for an unknown code: a certificate must not carry a made-up ST
     */
    public static String stLabel(String code) {
        String name = nameOf(code).orElseThrow(
                () -> new IllegalArgumentException("unknown département code: " + code));
        return name + " (" + code + ")";
    }
}
