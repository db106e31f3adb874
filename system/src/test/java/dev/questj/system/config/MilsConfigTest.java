package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MILS in the description: labels, the flow policy every channel direction must obey, severances. */
class MilsConfigTest {
    /** Three sandboxes: control (secret), linux (unclassified) and gw (no label); lines 1 to 5. */
    static final String SANDBOXES = """
            machine: {cores: 3}
            sandboxes:
              - {name: control, label: secret, cores: [0], memory: 8MiB}
              - {name: linux, label: unclassified, cores: [1], memory: 8MiB}
              - {name: gw, cores: [2], memory: 8MiB}
            """;

    @Test
    void aChannelNoFlowAllowsIsRefusedAtTheChannelNamingBothEndsAndTheRuleItNeeds() {
        assertThat(errors(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                  - {name: leak, from: control, to: linux}
                policy:
                  flows:
                    - {from: unclassified, to: secret}
                """)).containsExactly("t.yaml:8:5: channels[1]: channel \"leak\" from sandbox \"control\" (label secret) to sandbox"
                + " \"linux\" (label unclassified): no flow in policy (t.yaml:10:3) allows control -> linux; it needs a flow"
                + " such as {from: secret, to: unclassified, via: leak}");
    }

    @Test
    void eachDirectionOfATwoWayChannelNeedsItsOwnFlow() {
        assertThat(errors(SANDBOXES + """
                channels:
                  - {name: chat, from: control, to: gw, direction: both}
                policy:
                  flows:
                    - {from: secret, to: gw, via: chat}
                """)).containsExactly("t.yaml:7:5: channels[0]: channel \"chat\" (direction both), in its direction from sandbox"
                + " \"gw\" (no label) to sandbox \"control\" (label secret): no flow in policy (t.yaml:9:3) allows gw -> control;"
                + " it needs a flow such as {from: gw, to: secret, via: chat}");
    }

    @Test
    void allowedChannelsAreReadWithTheLabelsPolicyAndSeverances() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                  - {name: chat, from: control, to: gw, direction: both}
                  - {name: down, from: control, to: linux}
                policy:
                  flows:
                    - {from: unclassified, to: secret}
                    - {from: gw, to: control}
                    - {from: secret, to: gw, via: chat}
                    - {from: control, to: linux, via: down}
                severances:
                  - {at: 2ms, channel: down}
                """, "t.yaml");

        MilsConfig mils = c.questV().mils();
        assertThat(mils.labels()).containsExactly(Map.entry("control", "secret"), Map.entry("linux", "unclassified"));
        assertThat(mils.label("gw")).isNull();
        assertThat(mils.policy().flows()).extracting(MilsConfig.FlowRule::from, MilsConfig.FlowRule::to, MilsConfig.FlowRule::via)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unclassified", "secret", null),
                        org.assertj.core.groups.Tuple.tuple("gw", "control", null),
                        org.assertj.core.groups.Tuple.tuple("secret", "gw", "chat"),
                        org.assertj.core.groups.Tuple.tuple("control", "linux", "down"));
        assertThat(mils.severances()).singleElement().satisfies(s -> {
            assertThat(s.channel()).isEqualTo("down");
            assertThat(s.atCycles()).isEqualTo(2_000_000);
            assertThat(s.location().path()).isEqualTo("severances[0]");
        });
    }

    @Test
    void withoutAPolicyEveryDeclaredChannelIsAllowed() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SANDBOXES + """
                channels:
                  - {name: leak, from: control, to: linux, direction: both}
                """, "t.yaml");

        assertThat(c.questV().mils().policy()).isNull();
        assertThat(c.questV().channels()).hasSize(1);
    }

    @Test
    void anEmptyPolicyAllowsNoChannel() {
        assertThat(errors(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                policy: {flows: []}
                """)).singleElement().asString().startsWith("t.yaml:7:5: channels[0]: channel \"up\" from sandbox \"linux\"");
    }

    /** A broken flow allows nothing; the channels are still checked against the rest (here: none). */
    @Test
    void flowsNamingNothingAreRefused() {
        assertThat(errors(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                policy:
                  flows:
                    - {from: unclassified, to: topsecret}
                    - {from: mars, to: secret}
                    - {from: linux, to: control, via: nope}
                    - {from: secret, to: unclassified, via: up}
                    - {from: linux, to: control, colour: red}
                """)).containsExactly(
                "t.yaml:7:5: channels[0]: channel \"up\" from sandbox \"linux\" (label unclassified) to sandbox \"control\""
                        + " (label secret): no flow in policy (t.yaml:9:3) allows linux -> control; it needs a flow such as"
                        + " {from: unclassified, to: secret, via: up}",
                "t.yaml:10:32: policy.flows[0].to: \"topsecret\" is neither a sandbox nor a label; sandboxes are: control,"
                        + " linux, gw; labels are: secret, unclassified",
                "t.yaml:11:14: policy.flows[1].from: \"mars\" is neither a sandbox nor a label; sandboxes are: control,"
                        + " linux, gw; labels are: secret, unclassified",
                "t.yaml:12:39: policy.flows[2].via: unknown channel \"nope\"; channels are: up",
                "t.yaml:13:45: policy.flows[3].via: flow from secret to unclassified via up matches no direction of channel up,"
                        + " which goes one way from linux (label unclassified) to control (label secret)",
                "t.yaml:14:34: policy.flows[4].colour: unknown field \"colour\"; accepted fields: from, to, via");
    }

    @Test
    void aLabelThatIsAlsoASandboxNameIsRefused() {
        assertThat(errors("""
                machine: {cores: 2}
                sandboxes:
                  - {name: a, label: b, cores: [0], memory: 8MiB}
                  - {name: b, cores: [1], memory: 8MiB}
                """)).containsExactly("t.yaml:3:22: sandboxes[0].label: label \"b\" is also a sandbox's name: a flow naming b"
                + " would be ambiguous; choose another label");
    }

    @Test
    void policyAndSeverancesAreQuestVOnly() {
        assertThat(errors("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                policy: {flows: []}
                severances: []
                """)).containsExactly(
                "t.yaml:4:1: policy: field \"policy\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)",
                "t.yaml:5:1: severances: field \"severances\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)");
    }

    @Test
    void badSeverancesAreRefused() {
        assertThat(errors(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                severances:
                  - {at: 0s, channel: up}
                  - {at: 1s, channel: nope}
                  - {at: 1s, channel: up}
                  - {at: 2s, channel: up}
                  - {channel: up, when: 1s}
                """)).containsExactly(
                "t.yaml:9:10: severances[0].at: expected a duration greater than 0, got \"0s\"",
                "t.yaml:10:23: severances[1].channel: unknown channel \"nope\"; channels are: up",
                "t.yaml:12:23: severances[3].channel: channel up is already severed (t.yaml:11:5): a channel is severed once",
                "t.yaml:13:5: severances[4]: missing required field \"at\"",
                "t.yaml:13:15: severances[4].channel: channel up is already severed (t.yaml:11:5): a channel is severed once",
                "t.yaml:13:19: severances[4].when: unknown field \"when\"; accepted fields: at, channel");
    }

    @Test
    void withoutMonitorsNoChannelCanBeSevered() {
        assertThat(errors("""
                machine: {cores: 2}
                monitors: {afterBoot: remove}
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB}
                  - {name: b, cores: [1], memory: 8MiB}
                channels: [{name: c, from: a, to: b}]
                severances: [{at: 1s, channel: c}]
                """)).containsExactly("t.yaml:7:32: severances[0].channel: channel c cannot be severed: the monitors are removed"
                + " after boot (monitors.afterBoot: remove, line 2) and only the monitors can revoke a channel's frames from the"
                + " EPTs; keep the monitors to sever channels");
    }

    @Test
    void explainWritesLabelsPolicyAndSeverancesBackSoThatTheyReadTheSame() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                policy:
                  flows:
                    - {from: unclassified, to: secret}
                    - {from: linux, to: control, via: up}
                severances:
                  - {at: 1500us, channel: up}
                """, "t.yaml");
        String text = Explain.explain(c);
        MilsConfig again = ConfigReader.parse(text, "again.yaml").questV().mils();

        assertThat(text).contains("    label: secret", "policy:", "    - {from: linux, to: control, via: up}", "severances:",
                "  - {at: 1500us, channel: up}");
        assertThat(again.labels()).isEqualTo(c.questV().mils().labels());
        assertThat(again.policy().flows()).extracting(f -> f.from() + ">" + f.to() + ":" + f.via())
                .containsExactly("unclassified>secret:null", "linux>control:up");
        assertThat(again.severances()).extracting(MilsConfig.SeveranceConfig::atCycles).containsExactly(1_500_000L);
    }

    // ---- the command line's severances ----

    @Test
    void commandLineSeverancesAreAddedAfterTheFiles() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                  - {name: down, from: control, to: linux}
                severances: [{at: 1s, channel: up}]
                """, "t.yaml");

        SystemConfig more = SeveranceSpec.apply(c, List.of("channel=down,at=250ms"));

        assertThat(more.questV().mils().severances()).extracting(MilsConfig.SeveranceConfig::channel).containsExactly("up", "down");
        assertThat(more.questV().mils().severanceOf("down").atCycles()).isEqualTo(250_000_000L);
    }

    @Test
    void badCommandLineSeverancesAreEachOneMessage() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SANDBOXES + """
                channels:
                  - {name: up, from: linux, to: control}
                severances: [{at: 1s, channel: up}]
                """, "t.yaml");

        assertThat(specErrors(c, "at=3s")).containsExactly(
                "--sever \"at=3s\": missing channel=...; expected at=TIME channel=NAME, such as at=3s channel=telemetry");
        assertThat(specErrors(c, "at=3 channel=up")).singleElement().asString()
                .startsWith("--sever \"at=3 channel=up\": at: expected a duration with a unit");
        assertThat(specErrors(c, "at=0ms channel=up")).containsExactly(
                "--sever \"at=0ms channel=up\": at: expected a duration greater than 0, got \"0ms\"");
        assertThat(specErrors(c, "at=1s channel=nope")).containsExactly(
                "--sever \"at=1s channel=nope\": unknown channel \"nope\"; channels are: up");
        assertThat(specErrors(c, "at=2s channel=up")).containsExactly(
                "--sever \"at=2s channel=up\": channel up is already severed (t.yaml:8:14): a channel is severed once");
        assertThat(specErrors(c, "at=1s when=2s channel=up")).containsExactly(
                "--sever \"at=1s when=2s channel=up\": unknown key \"when\"; keys are: at, channel");
        assertThat(specErrors(c, "at=1s at=2s channel=up")).containsExactly(
                "--sever \"at=1s at=2s channel=up\": key at is given twice");
        assertThat(specErrors(c, "telemetry")).containsExactly(
                "--sever \"telemetry\": expected key=value pairs such as at=3s channel=telemetry, got \"telemetry\"");
    }

    @Test
    void anSmpSystemHasNothingToSever() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                """, "t.yaml");

        assertThat(specErrors(c, "at=1s channel=x")).containsExactly(
                "--sever \"at=1s channel=x\": the system has no sandboxes and so no channels to sever (SMP mode)");
    }

    private static List<String> specErrors(SystemConfig c, String spec) {
        return catchThrowableOfType(ConfigException.class, () -> SeveranceSpec.apply(c, List.of(spec)))
                .errors().stream().map(ConfigError::format).toList();
    }

    static List<String> errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, "t.yaml"))
                .errors().stream().map(ConfigError::format).toList();
    }
}
