using System.Text;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// The part of the Spring Expression Language the accelerator's transforms use: string
/// literals ('…', '' for a quote), option variables (#name) and concatenation (+). Anything
/// else fails the test, so an expression this cannot check is not silently passed.
/// </summary>
public static class SpelSubset
{
    public static IReadOnlyList<string> Variables(string expression) =>
        [.. Terms(expression).Where(term => term.StartsWith('#')).Select(term => term[1..])];

    public static string Evaluate(string expression, IReadOnlyDictionary<string, string> variables) =>
        string.Concat(Terms(expression).Select(term => term.StartsWith('#')
            ? variables.TryGetValue(term[1..], out var value) ? value : throw new Xunit.Sdk.XunitException($"'{expression}' uses {term}, which is not an option.")
            : term[1..]));

    /// <summary>The expression's terms in order: "#name" for a variable, "'text" for a literal's text.</summary>
    private static List<string> Terms(string expression)
    {
        var terms = new List<string>();
        var position = 0;
        var expectTerm = true;
        while (true)
        {
            while (position < expression.Length && expression[position] == ' ')
            {
                position++;
            }

            if (position == expression.Length)
            {
                return !expectTerm ? terms : throw Unsupported(expression);
            }

            if (!expectTerm)
            {
                position = expression[position] == '+' ? position + 1 : throw Unsupported(expression);
                expectTerm = true;
                continue;
            }

            if (expression[position] == '#')
            {
                var end = position + 1;
                while (end < expression.Length && char.IsAsciiLetterOrDigit(expression[end]))
                {
                    end++;
                }

                terms.Add(expression[position..end]);
                position = end;
            }
            else if (expression[position] == '\'')
            {
                var text = new StringBuilder("'");
                position++;
                while (true)
                {
                    if (position == expression.Length)
                    {
                        throw Unsupported(expression);
                    }

                    if (expression[position] == '\'' && (position + 1 == expression.Length || expression[position + 1] != '\''))
                    {
                        position++;
                        break;
                    }

                    position += expression[position] == '\'' ? 2 : 1;
                    text.Append(expression[position - 1]);
                }

                terms.Add(text.ToString());
            }
            else
            {
                throw Unsupported(expression);
            }

            expectTerm = false;
        }
    }

    private static Xunit.Sdk.XunitException Unsupported(string expression) =>
        new($"'{expression}' is not a concatenation of string literals and #options.");
}
