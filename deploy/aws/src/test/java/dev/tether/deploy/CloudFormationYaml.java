package dev.tether.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation (or AWS SAM) template written in YAML, turning each short-form tag into the long form
 * CloudFormation itself reads, so that {@code !Sub 'x'} and {@code {"Fn::Sub": "x"}} come out the same
 * (CloudFormation user guide, "Intrinsic function reference"): {@code !Ref X} is {@code {Ref: X}},
 * {@code !GetAtt A.B} is {@code {Fn::GetAtt: [A, B]}}, {@code !Condition C} is {@code {Condition: C}}, every other
 * {@code !Name v} is {@code {Fn::Name: v}}.
 */
final class CloudFormationYaml {
    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "Equals", "FindInMap", "GetAtt",
            "GetAZs", "If", "ImportValue", "Join", "Not", "And", "Or", "Select", "Split", "Sub", "Transform",
            "ToJsonString", "Length");

    private CloudFormationYaml() {
    }

    /** The template as maps, lists and scalars. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        try {
            Object root = new Yaml(new IntrinsicConstructor()).load(Files.readString(file));
            if (!(root instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return (Map<String, Object>) root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // The short form of GetAtt is one string, "Resource.Attribute".
                    value = key.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
