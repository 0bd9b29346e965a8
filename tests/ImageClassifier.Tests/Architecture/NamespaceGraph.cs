using System.Text.RegularExpressions;

namespace ImageClassifier.Tests.Architecture;

/// <summary>
/// Which of the function's namespaces (its folders) use which others, read from the source: the
/// <c>using</c> lines, names qualified with a namespace (<c>Failures.Problems</c>), and the types
/// of an enclosing namespace (the root's, or <c>MLflow</c>'s for <c>MLflow.Client</c>), which a
/// namespace sees without a <c>using</c>, attributes in their short form included.
/// </summary>
public sealed partial class NamespaceGraph
{
    private const string Root = "ImageClassifier";

    private NamespaceGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> edges) => Edges = edges;

    /// <summary>Each namespace and the namespaces it uses (itself excluded).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    public static NamespaceGraph Of(IReadOnlyDictionary<string, IReadOnlySet<string>> edges) => new(edges);

    /// <summary>Reads every C# file under <paramref name="folder"/>.</summary>
    public static NamespaceGraph Read(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Text: File.ReadAllText(path), Namespace: NamespaceOf(File.ReadAllText(path))))
            .Where(file => file.Namespace is not null)
            .ToList();

        var namespaces = files.Select(file => file.Namespace!).ToHashSet(StringComparer.Ordinal);
        var declared = files.GroupBy(file => file.Namespace!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.SelectMany(file => DeclaredTypes(file.Text)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var edges = namespaces.ToDictionary(ns => ns, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);

        foreach (var (text, ns) in files)
        {
            var used = edges[ns!];
            foreach (Match match in UsingLine().Matches(text))
            {
                used.Add(match.Groups["ns"].Value);
            }

            // The file's own namespace line names its enclosing namespaces without using them.
            var code = FileNamespace().Replace(UsingLine().Replace(text, string.Empty), string.Empty);
            foreach (Match match in QualifiedName().Matches(code))
            {
                // As C# resolves it: ImageClassifier.X is X under the root; a bare X.Type is X under
                // the file's namespace or the nearest enclosing one that has it (MLflow's Client.X).
                var name = match.Groups["ns"].Value;
                var qualified = match.Groups["root"].Success
                    ? Root + "." + name
                    : new[] { ns! }.Concat(EnclosingNamespaces(ns!)).Select(outer => outer + "." + name).FirstOrDefault(namespaces.Contains);
                if (qualified is not null && namespaces.Contains(qualified))
                {
                    used.Add(qualified);
                }
            }

            foreach (var outer in EnclosingNamespaces(ns!))
            {
                if (declared.TryGetValue(outer, out var types) && types.Any(type => Mentions(code, type)))
                {
                    used.Add(outer);
                }
            }

            used.Remove(ns!);
            used.IntersectWith(namespaces);
        }

        return new(edges.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>)pair.Value, StringComparer.Ordinal));
    }

    /// <summary>Every cycle's namespaces, as strongly connected components of two or more (Tarjan's algorithm).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Edges.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (!index.TryGetValue(next, out var reached))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], reached);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    /// <summary>
    /// Whether <paramref name="code"/> names the type <paramref name="type"/>, unqualified: by its
    /// name, or, for an attribute class <c>XAttribute</c>, as C# lets an attribute be written:
    /// <c>[X]</c>, <c>[X(…)]</c>, <c>[A, X(…)]</c>, <c>[property: X]</c>.
    /// </summary>
    public static bool Mentions(string code, string type)
    {
        // A name followed by '<' is another generic type of that name (System.Func<T>, not the root's Func).
        if (Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(type)}\b(?!\s*<)"))
        {
            return true;
        }

        const string Suffix = "Attribute";
        return type.Length > Suffix.Length && type.EndsWith(Suffix, StringComparison.Ordinal)
            && Regex.IsMatch(code, $@"[\[,]\s*(?:\w+\s*:\s*)?{Regex.Escape(type[..^Suffix.Length])}\s*[(\],]");
    }

    /// <summary>The namespaces around <paramref name="ns"/>, nearest first: <c>A.B</c>, then <c>A</c>, for <c>A.B.C</c>.</summary>
    private static IEnumerable<string> EnclosingNamespaces(string ns)
    {
        for (var dot = ns.LastIndexOf('.'); dot > 0; dot = ns.LastIndexOf('.', dot - 1))
        {
            yield return ns[..dot];
        }
    }

    private static string? NamespaceOf(string text) => FileNamespace().Match(text) is { Success: true } match ? match.Groups["ns"].Value : null;

    private static IEnumerable<string> DeclaredTypes(string text) => TypeDeclaration().Matches(text).Select(match => match.Groups["name"].Value);

    [GeneratedRegex(@"^namespace (?<ns>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using (?:static )?(?<ns>ImageClassifier(?:\.\w+)*)(?:\.\w+)?;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])(?<root>ImageClassifier\.)?(?<ns>\w+)\.[A-Z]\w*")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
