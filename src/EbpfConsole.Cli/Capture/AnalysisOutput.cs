using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Cli.Capture;

/// <summary>
/// Renders a capture's analysis for people (a verdict line, the evidence, one line per connection) and
/// for scripts (camelCase JSON: classification, connections[], packets, malformed, dropped, …).
/// </summary>
public static class AnalysisOutput
{
    // Relaxed escaping: this is terminal and script output, not HTML, and evidence sentences contain '>' and '+'.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A problem that did not stop the analysis (a truncated file, a failed point).</summary>
    public sealed record Skipped(string Source, string Problem);

    public static IEnumerable<string> Lines(CaptureSnapshot snapshot, IReadOnlyList<Skipped> skipped)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(skipped);
        yield return $"classification: {snapshot.Classification.Verdict.ToName()}";
        yield return $"evidence: {snapshot.Classification.Evidence}";
        yield return $"packets: {snapshot.Packets} (malformed {snapshot.Malformed}, dropped {snapshot.Dropped}) at {snapshot.Points.Count} point(s)";
        foreach (var p in snapshot.Points)
        {
            var drops = p.DroppedByUs + p.DroppedByKernel > 0 ? $", dropped {p.DroppedByUs} by us / {p.DroppedByKernel} by the kernel" : string.Empty;
            var error = p.Error is null ? string.Empty : $"  FAILED: {p.Error}";
            yield return $"  {p.Point.Name,-28} {p.Packets,8} packets{(p.Malformed > 0 ? $", {p.Malformed} malformed" : string.Empty)}{drops}{error}";
        }

        yield return $"connections: {snapshot.Connections.Count}";
        foreach (var c in snapshot.Connections)
        {
            yield return "  " + ConnectionLine(c);
        }

        if (snapshot.Assumptions.Count > 0)
        {
            yield return "assumptions:";
            foreach (var a in snapshot.Assumptions)
            {
                yield return $"  - {a}";
            }
        }

        foreach (var notice in snapshot.Notices)
        {
            yield return $"notice: {notice}";
        }

        foreach (var s in skipped)
        {
            yield return $"skipped: {s.Source}: {s.Problem}";
        }
    }

    /// <summary>`10:09:42.208625  10.99.0.100:60100 -> 10.99.0.11:30604  pod saw 10.99.0.11 (SNAT node-1)  reply via node-1  iptables-snat`.</summary>
    public static string ConnectionLine(ConnectionView c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var time = DateTimeOffset.UnixEpoch.AddTicks(c.FirstSeenNs / 100).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return $"{time}  {c.Client} -> {c.Service}  pod saw {PodSawText(c.PodSaw)}  reply {ReplyText(c.ReplyPath)}{(c.TunnelSeen ? "  tunnel" : string.Empty)}  {c.Verdict.ToName()}";
    }

    public static string PodSawText(PodSaw podSaw)
    {
        ArgumentNullException.ThrowIfNull(podSaw);
        return podSaw.Kind switch
        {
            PodSawKind.ClientIp => $"{podSaw.Source?.Address ?? "?"} (client IP kept)",
            PodSawKind.Snat => $"{podSaw.Source?.Address ?? "?"} (SNAT{(podSaw.Node is null ? string.Empty : " " + podSaw.Node)})",
            _ => "? (pod side not captured)",
        };
    }

    public static string ReplyText(ReplyPath reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Kind switch
        {
            ReplyPathKind.ViaIngress => $"via {reply.Node ?? "the ingress node"}",
            ReplyPathKind.DirectFromBackend => $"direct from {reply.Node ?? "the backend node"} (DSR)",
            _ => "not seen",
        };
    }

    /// <summary>
    /// Writes the analysis as JSON, streaming: connections are serialised one at a time and the output is
    /// flushed every 32 KiB, so a capture with 100,000 connections never becomes one large string.
    /// </summary>
    public static async Task WriteJsonAsync(TextWriter output, CaptureSnapshot snapshot, IReadOnlyList<Skipped> skipped)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(skipped);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("classification", snapshot.Classification.Verdict.ToName());
        json.WriteString("evidence", snapshot.Classification.Evidence);
        json.WritePropertyName("counts");
        JsonSerializer.Serialize(json, snapshot.Classification.Counts.ToDictionary(kv => kv.Key.ToName(), kv => kv.Value), Json);
        json.WriteNumber("packets", snapshot.Packets);
        json.WriteNumber("malformed", snapshot.Malformed);
        json.WriteNumber("dropped", snapshot.Dropped);
        json.WritePropertyName("points");
        JsonSerializer.Serialize(json, snapshot.Points.Select(p => new PointDto(p.Point.Name, p.Packets, p.Malformed, p.DroppedByUs, p.DroppedByKernel, p.Error)).ToList(), Json);
        json.WriteStartArray("connections");
        foreach (var connection in snapshot.Connections)
        {
            WriteConnection(json, connection);
            if (json.BytesPending + buffer.WrittenCount > 32 * 1024)
            {
                await FlushAsync(json, buffer, output).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        json.WritePropertyName("assumptions");
        JsonSerializer.Serialize(json, snapshot.Assumptions, Json);
        json.WritePropertyName("notices");
        JsonSerializer.Serialize(json, snapshot.Notices, Json);
        json.WritePropertyName("skipped");
        JsonSerializer.Serialize(json, skipped.Select(s => new SkippedDto(s.Source, s.Problem)).ToList(), Json);
        json.WriteEndObject();
        await FlushAsync(json, buffer, output).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
    }

    private static async Task FlushAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        await json.FlushAsync().ConfigureAwait(false);
        await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan)).ConfigureAwait(false);
        buffer.ResetWrittenCount();
    }

    /// <summary>
    /// One connection, written field by field: the reflection serializer cost ~6 µs per connection, a third
    /// of a 2-million-packet analysis (tests/bench/capture-bench.sh).
    /// </summary>
    private static void WriteConnection(Utf8JsonWriter json, ConnectionView c)
    {
        json.WriteStartObject();
        json.WriteNumber("id", c.Id);
        json.WriteString("firstSeen", DateTimeOffset.UnixEpoch.AddTicks(c.FirstSeenNs / 100).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("client", c.Client.ToString());
        json.WriteString("service", c.Service.ToString());
        json.WriteNumber("clientIsn", c.ClientIsn);
        json.WriteStartObject("podSaw");
        json.WriteString("kind", KindName(c.PodSaw.Kind));
        WriteStringOrNull(json, "address", c.PodSaw.Source?.Address);
        if (c.PodSaw.Source is { } source)
        {
            json.WriteNumber("port", source.Port);
        }
        else
        {
            json.WriteNull("port");
        }

        WriteStringOrNull(json, "node", c.PodSaw.Node);
        json.WriteEndObject();
        json.WriteStartObject("replyPath");
        json.WriteString("kind", KindName(c.ReplyPath.Kind));
        WriteStringOrNull(json, "node", c.ReplyPath.Node);
        json.WriteEndObject();
        json.WriteBoolean("tunnel", c.TunnelSeen);
        json.WriteString("verdict", c.Verdict.ToName());
        json.WriteString("reason", c.Reason);
        json.WriteStartArray("points");
        foreach (var point in c.Points)
        {
            json.WriteStringValue(point.Name);
        }

        json.WriteEndArray();
        json.WriteNumber("packets", c.PacketCount);
        json.WriteNumber("synRetransmits", c.SynRetransmits);
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string KindName(PodSawKind kind) => kind switch
    {
        PodSawKind.ClientIp => "client-ip",
        PodSawKind.Snat => "snat",
        _ => "unknown",
    };

    private static string KindName(ReplyPathKind kind) => kind switch
    {
        ReplyPathKind.ViaIngress => "via-ingress",
        ReplyPathKind.DirectFromBackend => "direct-from-backend",
        _ => "unknown",
    };

    private sealed record PointDto(string Point, long Packets, long Malformed, long DroppedByUs, long DroppedByKernel, string? Error);

    private sealed record SkippedDto(string Source, string Problem);
}
