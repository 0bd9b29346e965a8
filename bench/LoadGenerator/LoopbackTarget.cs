using System.Net;

namespace ImageClassifier.LoadGenerator;

/// <summary>
/// The one rule this tool never bends: it sends traffic to 127.0.0.1 and nowhere else, and the
/// URLs it asks the function to fetch point there too.
/// </summary>
public static class LoopbackTarget
{
    /// <summary>Returns the URL if it is http:// on 127.0.0.1; otherwise says why not, naming the option.</summary>
    public static bool TryParse(string? value, string optionName, out Uri? uri, out string? problem)
    {
        uri = null;
        problem = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"{optionName} must be an absolute http:// URL.";
            return false;
        }

        if (parsed.HostNameType != UriHostNameType.IPv4 || !IPAddress.Parse(parsed.Host).Equals(IPAddress.Loopback))
        {
            problem = $"{optionName} must target 127.0.0.1, not '{parsed.Host}'.";
            return false;
        }

        uri = parsed;
        return true;
    }
}
