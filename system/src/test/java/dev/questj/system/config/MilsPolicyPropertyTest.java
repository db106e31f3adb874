package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For random labels, channels and policies, the reader accepts exactly the channels each of whose
 * directions some flow allows; it refuses each other direction once, at its channel, and each flow
 * whose {@code via} channel it cannot match.
 */
class MilsPolicyPropertyTest {
    private static final int SANDBOXES = 4;
    private static final List<String> LABELS = List.of("low", "high");

    record Channel(int from, int to, boolean both) {}

    record Rule(String from, String to, Integer via) {}

    record Case(List<String> labels, List<Channel> channels, List<Rule> rules) {}

    @Property(tries = 200)
    void theReaderAcceptsExactlyTheChannelsThePolicyAllows(@ForAll("cases") Case c) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < c.channels().size(); i++) {
            Channel ch = c.channels().get(i);
            if (!allowed(c, i, ch.from(), ch.to())) {
                expected.add("channels[" + i + "]");
            }
            if (ch.both() && !allowed(c, i, ch.to(), ch.from())) {
                expected.add("channels[" + i + "]");
            }
        }
        for (int j = 0; j < c.rules().size(); j++) {
            Rule r = c.rules().get(j);
            if (r.via() != null) {
                Channel ch = c.channels().get(r.via());
                boolean some = matches(c, r, r.via(), ch.from(), ch.to()) || ch.both() && matches(c, r, r.via(), ch.to(), ch.from());
                if (!some) {
                    expected.add("policy.flows[" + j + "].via");
                }
            }
        }
        String yaml = yaml(c);
        if (expected.isEmpty()) {
            SystemConfig read = parse(yaml);
            assertThat(read.questV().channels()).hasSize(c.channels().size());
            assertThat(read.questV().mils().policy().flows()).hasSize(c.rules().size());
        } else {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, "p.yaml"));
            assertThat(e).as(yaml).isNotNull();
            assertThat(e.errors()).extracting(err -> err.location().path()).as(yaml)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static boolean allowed(Case c, int channel, int a, int b) {
        return c.rules().stream().anyMatch(r -> matches(c, r, channel, a, b));
    }

    private static boolean matches(Case c, Rule r, int channel, int a, int b) {
        return names(c, r.from(), a) && names(c, r.to(), b) && (r.via() == null || r.via() == channel);
    }

    private static boolean names(Case c, String term, int sandbox) {
        return term.equals("s" + sandbox) || term.equals(c.labels().get(sandbox));
    }

    private static SystemConfig parse(String yaml) {
        try {
            return ConfigReader.parse(yaml, "p.yaml");
        } catch (ConfigException e) {
            throw new AssertionError(yaml + "\n" + e.getMessage(), e);
        }
    }

    private static String yaml(Case c) {
        StringBuilder sb = new StringBuilder("machine: {cores: " + SANDBOXES + "}\nsandboxes:\n");
        for (int i = 0; i < SANDBOXES; i++) {
            String label = c.labels().get(i);
            sb.append("  - {name: s").append(i).append(label.isEmpty() ? "" : ", label: " + label)
                    .append(", cores: [").append(i).append("], memory: 4MiB}\n");
        }
        sb.append("channels:").append(c.channels().isEmpty() ? " []\n" : "\n");
        for (int i = 0; i < c.channels().size(); i++) {
            Channel ch = c.channels().get(i);
            sb.append("  - {name: c").append(i).append(", from: s").append(ch.from()).append(", to: s").append(ch.to())
                    .append(ch.both() ? ", direction: both" : "").append("}\n");
        }
        sb.append("policy:\n  flows:").append(c.rules().isEmpty() ? " []\n" : "\n");
        for (Rule r : c.rules()) {
            sb.append("    - {from: ").append(r.from()).append(", to: ").append(r.to())
                    .append(r.via() == null ? "" : ", via: c" + r.via()).append("}\n");
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<String>> labels = Arbitraries.of("", "low", "high").list().ofSize(SANDBOXES);
        Arbitrary<Channel> channel = Combinators.combine(Arbitraries.integers().between(0, SANDBOXES - 1),
                Arbitraries.integers().between(1, SANDBOXES - 1), Arbitraries.of(false, false, true))
                .as((from, shift, both) -> new Channel(from, (from + shift) % SANDBOXES, both));
        return Combinators.combine(labels, channel.list().ofMaxSize(6)).flatAs((ls, chs) -> {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < SANDBOXES; i++) {
                terms.add("s" + i);
            }
            LABELS.stream().filter(ls::contains).forEach(terms::add);
            Arbitrary<Integer> via = chs.isEmpty() ? Arbitraries.just(null)
                    : Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((Integer) null)),
                            Tuple.of(1, Arbitraries.integers().between(0, chs.size() - 1)));
            Arbitrary<Rule> rule = Combinators.combine(Arbitraries.of(terms), Arbitraries.of(terms), via).as(Rule::new);
            return rule.list().ofMaxSize(6).map(rules -> new Case(ls, chs, rules));
        });
    }
}
