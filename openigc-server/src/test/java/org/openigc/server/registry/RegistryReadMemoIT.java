package org.openigc.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openigc.ca.Offer;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.database.RoundTrip;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transaction-scoped memo of registry reads (orders read the same rows several times) and the one-query card
 * login: memoised only inside the transaction that asked for it, cleared by a registry write, gone after the
 * transaction; and a login reads the person's rights afresh on every request.
 */
class RegistryReadMemoIT extends ServerTestSupport {
    @Autowired
    RegistryService registry;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JsonMapper json;

    @Test
    void readsAreMemoisedOnlyInTheTransactionThatAskedAndARegistryWriteClearsThem() {
        UUID clinic = registry.structureByIdNatStruct("1330000068").orElseThrow().id();
        String name = registry.structure(clinic).orElseThrow().name();
        transactions.executeWithoutResult(status -> {
            // without the memo: a change made behind the registry's back is seen at once
            jdbc.sql("update structure set name = 'Renamed A' where id = :id").param("id", clinic).update();
            assertThat(registry.structure(clinic).orElseThrow().name()).isEqualTo("Renamed A");
            status.setRollbackOnly();
        });
        transactions.executeWithoutResult(status -> {
            registry.memoizeReadsInThisTransaction();
            assertThat(ReadMemo.isOpen()).isTrue();
            assertThat(registry.structure(clinic).orElseThrow().name()).isEqualTo(name);
            // memoised: the row is not read again in this transaction (this change bypasses the registry on purpose)
            jdbc.sql("update structure set name = 'Renamed B' where id = :id").param("id", clinic).update();
            assertThat(registry.structure(clinic).orElseThrow().name()).isEqualTo(name);
            // a write through the registry clears the memo: the next read is fresh
            UUID doctor = registry.personByCardNumber("2800000008").orElseThrow().id();
            assertThat(registry.habilitationsOf(doctor)).isEmpty();
            registry.grantHabilitation(clinic, doctor, Offer.ORG, List.of(), List.of(), null);
            assertThat(registry.habilitationsOf(doctor)).hasSize(1);
            assertThat(registry.structure(clinic).orElseThrow().name()).isEqualTo("Renamed B");
            status.setRollbackOnly();
        });
        // the memo ended with its transaction; the rolled-back changes are gone
        assertThat(ReadMemo.isOpen()).isFalse();
        transactions.executeWithoutResult(status ->
                assertThat(registry.structure(clinic).orElseThrow().name()).isEqualTo(name));
    }

    /**
     * An order's registry reads in one round trip: for every demo person and structure (EJ with establishments, EG
     * under an EJ that may order for them, health centre with a delegation, editor, unknown identifier), what the
     * single reads return is exactly what the prefetched memo returns, and once prefetched nothing more is read
     * (the tables are made unreachable for the rest of the transaction).
     */
    @Test
    void anOrdersReadsPrefetchedInOneRoundTripEqualTheSingleReads() {
        Boolean withoutMemo = transactions.execute(status ->
                registry.prefetchOrderReads(UUID.randomUUID(), "1750712184", List.of()));
        assertThat(withoutMemo).as("without a memo nothing is read").isFalse();
        List<String> structures = List.of("1750712184", "1750100018", "1930000054", "1330000076", "341234567000019",
                "1999999999");
        List<UUID> persons = jdbc.sql("select id from person order by card_number").query(UUID.class).list();
        assertThat(persons).hasSizeGreaterThan(5);
        for (UUID person : persons) {
            for (String idNatStruct : structures) {
                List<Object> single = transactions.execute(status -> orderReads(person, idNatStruct));
                List<Object> prefetched = transactions.execute(status -> {
                    registry.memoizeReadsInThisTransaction();
                    List<String> alongside = new java.util.ArrayList<>();
                    assertThat(registry.prefetchOrderReads(person, idNatStruct, List.of(RoundTrip.Statement.query(
                            "select :tag::text", Map.of("tag", idNatStruct), rows -> {
                                rows.next();
                                alongside.add(rows.getString(1));
                            })))).isTrue();
                    assertThat(alongside).as("the caller's statement went in the same round trip")
                            .containsExactly(idNatStruct);
                    // any read that was not prefetched now fails instead of quietly going to the database
                    jdbc.sql("set local search_path to pg_catalog").update();
                    List<Object> reads = orderReads(person, idNatStruct);
                    status.setRollbackOnly();
                    return reads;
                });
                assertThat(prefetched).as(idNatStruct + " / " + person).isEqualTo(single);
            }
        }
        UUID adminChu = registry.personByCardNumber("2800000003").orElseThrow().id();
        List<Object> chu = transactions.execute(status -> orderReads(adminChu, "1750712184"));
        assertThat(chu).as("the CHU, its three establishments, its contract and admin-chu's two habilitations are read")
                .anySatisfy(read -> assertThat(read).asString().contains("HOPITAL NORD"))
                .anySatisfy(read -> assertThat(read).asString().contains("DEMO-CT-2025-0001"))
                .anySatisfy(read -> assertThat(read).asString().contains("chu-demo.fr"));
    }

    /** Every registry read an order makes (CertificateService.resolve through the structure directory). */
    private List<Object> orderReads(UUID person, String idNatStruct) {
        List<Object> reads = new java.util.ArrayList<>();
        var structure = registry.structureByIdNatStruct(idNatStruct);
        reads.add(structure);
        reads.add(registry.person(person));
        reads.add(registry.habilitationsOf(person));
        structure.ifPresent(s -> {
            Structure ej = registry.ejOf(s);
            for (Structure each : List.of(s, ej)) {
                reads.add(registry.structure(each.id()));
                reads.add(registry.contractsOf(each.id()));
                reads.add(registry.delegationsOf(each.id()));
                reads.add(registry.habilitationsOn(each.id()));
            }
            reads.add(registry.establishmentsOf(s.id()));
            reads.add(registry.hasActiveContract(s.id()));
            reads.add(registry.manageableOffers(person, s.id()));
        });
        return reads;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHabilitationGrantedOrWithdrawnCountsForTheCardFromTheNextRequest() {
        UUID clinic = registry.structureByIdNatStruct("1330000068").orElseThrow().id();
        UUID doctor = registry.personByCardNumber("2800000008").orElseThrow().id();
        var client = personaClient("doctor");
        assertThat(roles(client)).isEmpty();
        Habilitation granted = registry.grantHabilitation(clinic, doctor, Offer.ORG, List.of(), List.of(), null);
        try {
            assertThat(roles(client)).containsExactly("TECHNICAL_ADMINISTRATOR");
        } finally {
            registry.revokeHabilitation(granted.id());
        }
        assertThat(roles(client)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private List<String> roles(java.net.http.HttpClient client) {
        HttpResponse<String> response = getString(client, https("/api/v1/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<String>) json.readValue(response.body(), Map.class).get("roles");
    }
}
