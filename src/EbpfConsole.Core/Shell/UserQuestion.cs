namespace EbpfConsole.Core.Shell;

/// <summary>What kind of answer a question wants.</summary>
public enum QuestionKind
{
    /// <summary>Yes or no (an unknown host key: trust it?). Answer "yes" or null.</summary>
    YesNo,

    /// <summary>A secret typed without echo (a key's passphrase). Answer the text, or null to skip.</summary>
    Secret,
}

/// <summary>A question background work (SSH) puts to the user; it waits until answered or timed out.</summary>
/// <param name="Id">Unique per session; the answer names it.</param>
/// <param name="Title">Dialog title, e.g. "Unknown host key".</param>
/// <param name="Text">The full question, e.g. OpenSSH's "The authenticity of host … can't be established. ED25519 key fingerprint is SHA256:…".</param>
/// <param name="Kind">Yes/no or secret.</param>
public sealed record UserQuestion(long Id, string Title, string Text, QuestionKind Kind);
