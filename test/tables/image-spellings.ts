// Issue 12's image table: known-bad publishers and images in every spelling a registry host,
// a mirror or a pull-through proxy gives them. Shared by the policy test and
// scripts/count-admitted.ts (the before/after figures).

export const BAD_IMAGE_SPELLINGS: string[] = [
  'docker123321/tomcat',
  'docker.io/docker123321/tomcat',
  'docker.io:443/docker123321/tomcat',
  'index.docker.io/docker123321/tomcat',
  'index.docker.io:443/docker123321/tomcat',
  'registry-1.docker.io/docker123321/tomcat',
  'registry-1.docker.io:443/docker123321/tomcat',
  'registry.hub.docker.com/docker123321/tomcat',
  'registry.hub.docker.com:443/docker123321/tomcat',
  'mirror.gcr.io/docker123321/tomcat',
  'mirror.gcr.io:443/docker123321/tomcat:latest',
  'harbor.example/dockerhub-proxy/docker123321/tomcat',
  'harbor.example:8443/dockerhub/docker123321/tomcat',
  'nexus.example/docker.io/docker123321/tomcat',
  'registry.example/hub/docker123321/tomcat',
  'registry.example/team/cache/hub/gakeaws/nginx:v8',
  'gitlab.example/group/dependency_proxy/containers/docker123321/tomcat',
  'mirror.gcr.io/metal3d/xmrig',
  'registry-1.docker.io:443/metal3d/xmrig',
  'harbor.example/dockerhub-proxy/servethehome/monero_cpu_minergate',
  'Registry.Hub.Docker.com/Pauseyyf/Pause:latest',
  'harbor.example/dockerhub-proxy/kuberntesio/kube-controller:1.0.1',
]
