package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DepartementsTest {

    /** Independent restatement of DOMAIN §4: département code, INSEE region code, name. */
    @ParameterizedTest(name = "{0} {2} → région {1}")
    @CsvSource(delimiter = '|', textBlock = """
            01|84|Ain
            02|32|Aisne
            03|84|Allier
            04|93|Alpes-de-Haute-Provence
            05|93|Hautes-Alpes
            06|93|Alpes-Maritimes
            07|84|Ardèche
            08|44|Ardennes
            09|76|Ariège
            10|44|Aube
            11|76|Aude
            12|76|Aveyron
            13|93|Bouches-du-Rhône
            14|28|Calvados
            15|84|Cantal
            16|75|Charente
            17|75|Charente-Maritime
            18|24|Cher
            19|75|Corrèze
            2A|94|Corse-du-Sud
            2B|94|Haute-Corse
            21|27|Côte-d'Or
            22|53|Côtes-d'Armor
            23|75|Creuse
            24|75|Dordogne
            25|27|Doubs
            26|84|Drôme
            27|28|Eure
            28|24|Eure-et-Loir
            29|53|Finistère
            30|76|Gard
            31|76|Haute-Garonne
            32|76|Gers
            33|75|Gironde
            34|76|Hérault
            35|53|Ille-et-Vilaine
            36|24|Indre
            37|24|Indre-et-Loire
            38|84|Isère
            39|27|Jura
            40|75|Landes
            41|24|Loir-et-Cher
            42|84|Loire
            43|84|Haute-Loire
            44|52|Loire-Atlantique
            45|24|Loiret
            46|76|Lot
            47|75|Lot-et-Garonne
            48|76|Lozère
            49|52|Maine-et-Loire
            50|28|Manche
            51|44|Marne
            52|44|Haute-Marne
            53|52|Mayenne
            54|44|Meurthe-et-Moselle
            55|44|Meuse
            56|53|Morbihan
            57|44|Moselle
            58|27|Nièvre
            59|32|Nord
            60|32|Oise
            61|28|Orne
            62|32|Pas-de-Calais
            63|84|Puy-de-Dôme
            64|75|Pyrénées-Atlantiques
            65|76|Hautes-Pyrénées
            66|76|Pyrénées-Orientales
            67|44|Bas-Rhin
            68|44|Haut-Rhin
            69|84|Rhône
            70|27|Haute-Saône
            71|27|Saône-et-Loire
            72|52|Sarthe
            73|84|Savoie
            74|84|Haute-Savoie
            75|11|Paris
            76|28|Seine-Maritime
            77|11|Seine-et-Marne
            78|11|Yvelines
            79|75|Deux-Sèvres
            80|32|Somme
            81|76|Tarn
            82|76|Tarn-et-Garonne
            83|93|Var
            84|93|Vaucluse
            85|52|Vendée
            86|75|Vienne
            87|75|Haute-Vienne
            88|44|Vosges
            89|27|Yonne
            90|27|Territoire de Belfort
            91|11|Essonne
            92|11|Hauts-de-Seine
            93|11|Seine-Saint-Denis
            94|11|Val-de-Marne
            95|11|Val-d'Oise
            971|01|Guadeloupe
            972|02|Martinique
            973|03|Guyane
            974|04|La Réunion
            976|06|Mayotte
            """)
    void everyDepartementMapsToItsRegionAndName(String code, String regionInseeCode, String name) {
        Region region = Departements.regionOf(code).orElseThrow();
        assertThat(region.inseeCode()).isEqualTo(regionInseeCode);
        assertThat(region.departements()).contains(code);
        assertThat(Departements.nameOf(code)).contains(name);
        assertThat(Departements.stLabel(code)).isEqualTo(name + " (" + code + ")");
    }

    @Test
    void examplesOfDomain() {
        assertThat(Departements.stLabel("69")).isEqualTo("Rhône (69)");
        assertThat(Departements.regionOf("69")).contains(Region.AUVERGNE_RHONE_ALPES);
        assertThat(Departements.regionOf("2A")).contains(Region.CORSE);
        assertThat(Departements.regionOf("974")).contains(Region.LA_REUNION);
    }

    @Test
    void regionsCoverTheHundredAndOneDepartementsOnce() {
        List<String> all = new ArrayList<>();
        for (Region region : Region.values()) {
            all.addAll(region.departements());
        }
        assertThat(all).hasSize(101).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(code -> assertThat(Departements.nameOf(code)).isPresent());
    }

    @Test
    void eighteenRegionsWithDistinctCodes() {
        assertThat(Region.values()).hasSize(18);
        Set<String> codes = new HashSet<>();
        for (Region region : Region.values()) {
            codes.add(region.inseeCode());
        }
        assertThat(codes).hasSize(18);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            11|ILE_DE_FRANCE|Île-de-France
            24|CENTRE_VAL_DE_LOIRE|Centre-Val de Loire
            27|BOURGOGNE_FRANCHE_COMTE|Bourgogne-Franche-Comté
            28|NORMANDIE|Normandie
            32|HAUTS_DE_FRANCE|Hauts-de-France
            44|GRAND_EST|Grand Est
            52|PAYS_DE_LA_LOIRE|Pays de la Loire
            53|BRETAGNE|Bretagne
            75|NOUVELLE_AQUITAINE|Nouvelle-Aquitaine
            76|OCCITANIE|Occitanie
            84|AUVERGNE_RHONE_ALPES|Auvergne-Rhône-Alpes
            93|PROVENCE_ALPES_COTE_D_AZUR|Provence-Alpes-Côte d'Azur
            94|CORSE|Corse
            01|GUADELOUPE|Guadeloupe
            02|MARTINIQUE|Martinique
            03|GUYANE|Guyane
            04|LA_REUNION|La Réunion
            06|MAYOTTE|Mayotte
            """)
    void regionByInseeCodeAndLabel(String inseeCode, Region expected, String label) {
        assertThat(Region.byInseeCode(inseeCode)).contains(expected);
        assertThat(expected.label()).isEqualTo(label);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"05", "12", "99", "1"})
    void unknownRegionCode(String inseeCode) {
        assertThat(Region.byInseeCode(inseeCode)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"20", "00", "96", "99", "977", "1", "2a", "69 "})
    void unknownDepartement(String code) {
        assertThat(Departements.regionOf(code)).isEmpty();
        assertThat(Departements.nameOf(code)).isEmpty();
        assertThatThrownBy(() -> Departements.stLabel(code)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saintPierreEtMiquelonHasANameButNoRegion() {
        assertThat(Departements.stLabel("975")).isEqualTo("Saint-Pierre-et-Miquelon (975)");
        assertThat(Departements.regionOf("975")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void everyFinessPrefixOfARegionResolvesBackToIt(Region region) {
        // FINESS and Departements must agree on codes: build a Luhn-valid FINESS per département.
        for (String code : region.departements()) {
            if (code.equals("2A") || code.equals("2B")) { // no key check for Corsica
                assertThat(Identifiers.departementOfFiness(code + "0000000")).isEqualTo(code);
                continue;
            }
            String body = (code + "0000000").substring(0, 8);
            String finess = body + Identifiers.luhnCheckDigit(body);
            assertThat(Identifiers.finess("f", finess, ValidationMode.STRICT)).isEmpty();
            assertThat(Departements.regionOf(Identifiers.departementOfFiness(finess))).contains(region);
        }
    }
}
