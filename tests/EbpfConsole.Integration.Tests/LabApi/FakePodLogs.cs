using System.Text;
using System.Threading.Channels;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Integration.Tests.LabApi;

/// <summary>Pod logs for the API tests: fixed lines per pod, and lines pushed later for followers.</summary>
internal sealed class FakePodLogs : IPodLogSource
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<string>> _lines = new(StringComparer.Ordinal);
    private readonly List<(string Key, Channel<string> Channel)> _followers = [];

    public PodLogOptions? LastOptions { get; private set; }

    public void Add(string ns, string pod, string line)
    {
        var key = $"{ns}/{pod}";
        lock (_lock)
        {
            if (!_lines.TryGetValue(key, out var lines))
            {
                _lines[key] = lines = [];
            }

            lines.Add(line);
            foreach (var follower in _followers.Where(f => f.Key == key))
            {
                follower.Channel.Writer.TryWrite(line);
            }
        }
    }

    public int Followers
    {
        get
        {
            lock (_lock)
            {
                return _followers.Count;
            }
        }
    }

    public async Task WriteAsync(string ns, string pod, PodLogOptions options, Stream output, CancellationToken ct)
    {
        LastOptions = options;
        var key = $"{ns}/{pod}";
        List<string> existing;
        Channel<string>? channel = null;
        lock (_lock)
        {
            if (!_lines.TryGetValue(key, out var lines))
            {
                throw ApiException.NotFound(ResourceCatalog.Pods, pod);
            }

            existing = options.TailLines is { } tail ? [.. lines.TakeLast(tail)] : [.. lines];
            if (options.Follow)
            {
                channel = Channel.CreateUnbounded<string>();
                _followers.Add((key, channel));
            }
        }

        try
        {
            foreach (var line in existing)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
            }

            if (channel is not null)
            {
                await foreach (var line in channel.Reader.ReadAllAsync(ct))
                {
                    await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _followers.RemoveAll(f => f.Channel == channel);
            }
        }
    }
}
