using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageClassifier.Inference;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ImageClassifier.MLflow.Registry;

/// <summary>
/// A registered version's <c>MLmodel</c> file (YAML), read for its <c>metadata</c>: what
/// <c>mlflow.onnx.log_model(model, "model", metadata={"preprocessing": {...}, "labels": [...]})</c>
/// writes. The file comes from an untrusted server, so it is read with YamlDotNet's event parser
/// (no reflection, no object construction) into a small tree, within bounds: at most
/// <see cref="MaxBytes"/>, <see cref="MaxDepth"/> levels and <see cref="MaxNodes"/> nodes, and no
/// alias at all (an alias is how a few bytes of YAML become billions of nodes; MLflow writes none).
/// </summary>
public static partial class MLmodelFile
{
    /// <summary>The file's name at the root of a model's artifacts.</summary>
    public const string FileName = "MLmodel";

    /// <summary>The most of it read: a mebibyte holds a signature and labels for thousands of classes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>MLflow's MLmodel nests four or five levels; the preprocessing adds two.</summary>
    public const int MaxDepth = 32;

    /// <summary>Enough for labels of tens of thousands of classes; a larger tree is refused as it is read.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The <see cref="ModelCompanions.RegistrySource"/> the preprocessing and labels it states are reported as.</summary>
    public const string Source = "the MLmodel file's metadata";

    /// <summary>The preprocessing (as the format's JSON) and labels an MLmodel file's <c>metadata</c> states; null where it states none.</summary>
    /// <exception cref="MLmodelRefusedException">Not YAML, over a bound, an alias, or a <c>metadata</c> of the wrong shape.</exception>
    public static (string? PreprocessingJson, IReadOnlyList<string>? Labels) Read(string yaml)
    {
        if (Encoding.UTF8.GetByteCount(yaml) > MaxBytes)
        {
            throw new MLmodelRefusedException($"{FileName} is larger than the {MaxBytes} bytes it may have.");
        }

        Node? root;
        try
        {
            root = Parse(yaml);
        }
        catch (YamlException exception)
        {
            throw new MLmodelRefusedException($"{FileName} is not YAML: {exception.Message}", exception);
        }

        if (root is not Mapping document || document.Get("metadata") is not { } metadata || metadata is Value { IsNull: true })
        {
            return (null, null);
        }

        if (metadata is not Mapping fields)
        {
            throw new MLmodelRefusedException($"{FileName}: metadata must be a mapping.");
        }

        var preprocessing = fields.Get(PreprocessingFormat.MetadataKey) switch
        {
            null => null,
            Mapping section => ToJson(section),
            _ => throw new MLmodelRefusedException($"{FileName}: metadata.preprocessing must be a mapping in the preprocessing format."),
        };
        var labels = fields.Get(ModelLabels.MetadataKey) switch
        {
            null => null,
            Sequence names when names.Items.All(item => item is Value) => names.Items.Cast<Value>().Select(name => name.Text).ToList(),
            _ => throw new MLmodelRefusedException($"{FileName}: metadata.labels must be a list of names."),
        };
        return (preprocessing, labels);
    }

    /// <summary>The first document's tree, built from the parser's events without recursion, within the bounds.</summary>
    private static Node? Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Node>();
        var keys = new Stack<string?>();
        Node? root = null;
        var nodes = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias:
                    throw new MLmodelRefusedException($"{FileName} holds an alias (*name); aliases are refused, MLflow writes none.");
                case DocumentEnd when root is not null:
                    return root;
                case Scalar scalar:
                    Add(new Value(scalar.Value, scalar.Style is ScalarStyle.Plain));
                    break;
                case SequenceStart:
                    Open(new Sequence());
                    break;
                case MappingStart:
                    Open(new Mapping());
                    break;
                case SequenceEnd or MappingEnd:
                    Close(open.Pop());
                    break;
            }
        }

        return root;

        void Open(Node node)
        {
            Add(node);
            if (open.Count == MaxDepth)
            {
                throw new MLmodelRefusedException($"{FileName} nests deeper than {MaxDepth} levels.");
            }

            open.Push(node);
            keys.Push(null);
        }

        void Close(Node node)
        {
            keys.Pop();
            if (open.Count == 0)
            {
                root = node;
            }
        }

        void Add(Node node)
        {
            if (++nodes > MaxNodes)
            {
                throw new MLmodelRefusedException($"{FileName} has more than {MaxNodes} nodes.");
            }

            switch (open.TryPeek(out var parent) ? parent : null)
            {
                case null when node is Value:
                    root = node;
                    break;
                case Sequence sequence:
                    sequence.Items.Add(node);
                    break;
                case Mapping mapping when keys.Peek() is { } key:
                    keys.Pop();
                    keys.Push(null);
                    mapping.Fields.Add((key, node));
                    break;
                case Mapping when node is Value key:
                    keys.Pop();
                    keys.Push(key.Text);
                    break;
                case Mapping:
                    throw new MLmodelRefusedException($"{FileName} has a key that is not a plain value.");
            }
        }
    }

    /// <summary>The preprocessing as the JSON the format's one parser reads: plain numbers as numbers, quoted values as strings.</summary>
    private static string ToJson(Mapping section)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // Recursion is bounded: the tree is at most MaxDepth deep.
            Write(writer, section);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, Node node)
    {
        switch (node)
        {
            case Mapping mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Fields)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case Sequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case Value { IsNull: true }:
                writer.WriteNullValue();
                break;
            case Value { Plain: true, Text: "true" or "false" } boolean:
                writer.WriteBooleanValue(boolean.Text == "true");
                break;
            case Value { Plain: true } number when Integer().IsMatch(number.Text)
                && long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case Value { Plain: true } number when Real().IsMatch(number.Text)
                && double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                writer.WriteNumberValue(real);
                break;
            case Value text:
                writer.WriteStringValue(text.Text);
                break;
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Real();

    private abstract class Node;

    private sealed class Value(string text, bool plain) : Node
    {
        public string Text { get; } = text;

        public bool Plain { get; } = plain;

        /// <summary>YAML's null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
        public bool IsNull => Plain && Text is "" or "~" or "null" or "Null" or "NULL";
    }

    private sealed class Sequence : Node
    {
        public List<Node> Items { get; } = [];
    }

    private sealed class Mapping : Node
    {
        public List<(string Key, Node Value)> Fields { get; } = [];

        public Node? Get(string key) => Fields.FirstOrDefault(field => field.Key == key).Value;
    }
}

/// <summary>An MLmodel file that is not read: a version's files never change, so asking again would get the same file.</summary>
public sealed class MLmodelRefusedException : Exception
{
    public MLmodelRefusedException(string message)
        : base(message)
    {
    }

    public MLmodelRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
