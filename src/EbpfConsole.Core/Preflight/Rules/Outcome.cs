namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>Builds <see cref="CheckResult"/>s from the catalog: remediation null on pass, the catalog's text otherwise.</summary>
internal static class Outcome
{
    public const string UnknownRemediation = "Fix what the reason names (API access, SSH, sudo) and run preflight again.";

    public static CheckResult Of(string id, string? node, Verdict verdict, string reason, string evidence, string? remediation = null)
    {
        var definition = CheckCatalog.Find(id) ?? throw new ArgumentException($"no check {id} in the catalog", nameof(id));
        var fix = verdict switch
        {
            Verdict.Pass => null,
            Verdict.Unknown => remediation ?? UnknownRemediation,
            _ => remediation ?? definition.Remediation,
        };
        return new CheckResult(definition.Id, definition.Title, definition.Scope, node, verdict, reason, evidence, fix);
    }

    public static CheckResult Pass(string id, string? node, string reason, string evidence) => Of(id, node, Verdict.Pass, reason, evidence);

    public static CheckResult Warn(string id, string? node, string reason, string evidence, string? remediation = null) =>
        Of(id, node, Verdict.Warn, reason, evidence, remediation);

    public static CheckResult Fail(string id, string? node, string reason, string evidence, string? remediation = null) =>
        Of(id, node, Verdict.Fail, reason, evidence, remediation);

    public static CheckResult Unknown(string id, string? node, string reason, string evidence, string? remediation = null) =>
        Of(id, node, Verdict.Unknown, reason, evidence, remediation);

    /// <summary>Unknown because an API object could not be read: "could not read {Path}: {Error}".</summary>
    public static CheckResult Unreadable(string id, string? node, string path, string error) =>
        Unknown(id, node, $"could not read {path}: {error}", $"{path}: could not read: {error}");

    public static string Lines(IEnumerable<string> lines) => string.Join('\n', lines.Where(l => !string.IsNullOrEmpty(l)));
}
