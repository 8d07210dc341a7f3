namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Asks for each protected key's passphrase once, however many connections (nodes, jump hosts) load the key; concurrent
/// loads of the same key wait for the one question. A declined key (null) is not asked again either.
/// </summary>
public sealed class PassphraseCache
{
    private readonly Func<string, string?> _ask;
    private readonly Dictionary<string, Lazy<string?>> _answers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PassphraseCache(Func<string, string?> ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        _ask = ask;
    }

    /// <summary>The passphrase for <paramref name="keyPath"/>, asking only the first time.</summary>
    public string? Get(string keyPath)
    {
        Lazy<string?> answer;
        lock (_gate)
        {
            if (!_answers.TryGetValue(keyPath, out answer!))
            {
                answer = new Lazy<string?>(() => _ask(keyPath), LazyThreadSafetyMode.ExecutionAndPublication);
                _answers[keyPath] = answer;
            }
        }

        return answer.Value;
    }
}
