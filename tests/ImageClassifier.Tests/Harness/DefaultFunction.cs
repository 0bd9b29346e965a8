namespace ImageClassifier.Tests.Harness;

/// <summary>
/// An xunit fixture: the function in-process with the tests' default settings and the real model,
/// ready, shared by a test class (xunit builds a fixture only through a constructor without parameters).
/// </summary>
public sealed class DefaultFunction : FunctionApp;
