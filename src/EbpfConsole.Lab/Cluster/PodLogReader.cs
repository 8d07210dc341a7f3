using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// Serves `kubectl logs`: nginx pods (label app=nginx) read the real nginx's access log, other pods their emulated
/// log file. Honours container, tailLines, timestamps, limitBytes and follow (polls for growth every 200 ms until
/// the pod is gone or the request is cancelled).
/// </summary>
internal sealed class PodLogReader(LabPaths paths, PodLogFiles files, Func<string, string, JsonObject?> findPod, TimeProvider time)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task WriteAsync(string ns, string podName, PodLogOptions options, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var pod = findPod(ns, podName) ?? throw ApiException.NotFound(ResourceCatalog.Pods, podName);
        var containers = PodBuilder.ContainerNames(pod);
        var container = options.Container;
        if (container is null)
        {
            container = containers.Count == 1 ? containers[0]
                : throw ApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(" ", containers)}]");
        }
        else if (!containers.Contains(container, StringComparer.Ordinal))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {podName}");
        }

        var nginx = IsNginx(pod);
        var source = nginx ? paths.AccessLogPath : files.PathOf(ns, podName, container);
        var uid = ClusterJson.Uid(pod);
        var sink = new Sink(output, options.LimitBytes);
        var start = nginx ? AccessLogOffset(pod, source) : 0;
        var (lines, offset) = ReadComplete(source, start);
        if (options.TailLines is { } tail)
        {
            lines = lines.Skip(Math.Max(0, lines.Count - Math.Max(0, tail))).ToList();
        }

        if (!await sink.WriteAsync(lines.Select(l => Render(l, nginx, options.Timestamps)), ct).ConfigureAwait(false) || !options.Follow)
        {
            return;
        }

        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
                if (findPod(ns, podName) is not { } current || ClusterJson.Uid(current) != uid)
                {
                    return;
                }

                if (File.Exists(source) && new FileInfo(source).Length < offset)
                {
                    offset = 0; // truncated or replaced (the lab was rebuilt)
                }

                (lines, offset) = ReadComplete(source, offset);
                if (!await sink.WriteAsync(lines.Select(l => Render(l, nginx, options.Timestamps)), ct).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away or the server stops: the end of a followed log, not an error.
        }
    }

    /// <summary>The complete lines (ending in \n) from <paramref name="offset"/> on, and the offset after them.</summary>
    internal static (List<string> Lines, long Offset) ReadComplete(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return ([], offset);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
        {
            return ([], offset);
        }

        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var end = read > 0 ? Array.LastIndexOf(buffer, (byte)'\n', read - 1) : -1;
        if (end < 0)
        {
            return ([], offset);
        }

        var text = Utf8.GetString(buffer, 0, end);
        return (text.Split('\n').ToList(), offset + end + 1);
    }

    /// <summary>A stored line as kubectl shows it: emulated files carry a timestamp prefix, the access log does not.</summary>
    private string Render(string line, bool accessLog, bool timestamps)
    {
        if (accessLog)
        {
            return timestamps ? $"{LogFormat.Rfc3339Nano(AccessLogTime(line) ?? time.GetUtcNow())} {line}" : line;
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return timestamps || space < 0 ? line : line[(space + 1)..];
    }

    /// <summary>The time of a combined-format access log line ([27/Nov/2026:12:00:00 +0000]), or null.</summary>
    /// <summary>Where in the lab's access log the nginx pod's own log starts (set when the pod started).</summary>
    public const string AccessLogOffsetAnnotation = ClusterJson.AnnotationPrefix + "access-log-offset";

    /// <summary>The walkthrough's nginx pods (label app=nginx): their log is the lab's real nginx access log.</summary>
    public static bool IsNginx(JsonObject pod) => ClusterJson.Labels(pod).GetValueOrDefault("app") == "nginx";

    /// <summary>The pod's start offset, or 0 when unknown or beyond the file (the log was rotated or removed).</summary>
    private static long AccessLogOffset(JsonObject pod, string source)
    {
        var recorded = long.TryParse(ClusterJson.Annotation(pod, AccessLogOffsetAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var length = File.Exists(source) ? new FileInfo(source).Length : 0;
        return recorded <= length ? recorded : 0;
    }

    internal static DateTimeOffset? AccessLogTime(string line)
    {
        var open = line.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : line.IndexOf(']', open);
        return close > open && DateTimeOffset.TryParseExact(line[(open + 1)..close], "dd/MMM/yyyy:HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : null;
    }

    /// <summary>Writes lines until the byte limit; false once the limit is reached.</summary>
    private sealed class Sink(Stream output, long? limit)
    {
        private long _written;

        public async Task<bool> WriteAsync(IEnumerable<string> lines, CancellationToken ct)
        {
            var any = false;
            foreach (var line in lines)
            {
                var bytes = Utf8.GetBytes(line + "\n");
                var count = limit is { } max ? (int)Math.Min(bytes.Length, max - _written) : bytes.Length;
                if (count > 0)
                {
                    await output.WriteAsync(bytes.AsMemory(0, count), ct).ConfigureAwait(false);
                    _written += count;
                    any = true;
                }

                if (limit is { } l && _written >= l)
                {
                    await output.FlushAsync(ct).ConfigureAwait(false);
                    return false;
                }
            }

            if (any)
            {
                await output.FlushAsync(ct).ConfigureAwait(false);
            }

            return true;
        }
    }
}
