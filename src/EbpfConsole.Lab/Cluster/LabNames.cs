using System.Text.Json.Nodes;

namespace EbpfConsole.Lab.Cluster;

/// <summary>Generated names and hashes the way Kubernetes makes them: 5-character pod suffixes, 10-character template hashes.</summary>
internal sealed class LabNames(Random? random = null)
{
    /// <summary>The alphabet of Kubernetes' random name suffixes (no vowels, no look-alikes).</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Random _random = random ?? Random.Shared;
    private readonly Lock _lock = new();

    /// <summary><paramref name="prefix"/>-xxxxx.</summary>
    public string WithSuffix(string prefix)
    {
        Span<char> suffix = stackalloc char[5];
        lock (_lock)
        {
            for (var i = 0; i < suffix.Length; i++)
            {
                suffix[i] = Alphabet[_random.Next(Alphabet.Length)];
            }
        }

        return $"{prefix}-{suffix}";
    }

    /// <summary>A stable 10-character hash of a pod template (pod-template-hash, controller-revision-hash).</summary>
    public static string TemplateHash(JsonNode? template)
    {
        // FNV-1a 64 over the canonical JSON: stable across processes (string.GetHashCode is not).
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(ClusterJson.Canonical(template)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        Span<char> text = stackalloc char[10];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = Alphabet[(int)(hash % (ulong)Alphabet.Length)];
            hash /= (ulong)Alphabet.Length;
        }

        return new string(text);
    }
}
